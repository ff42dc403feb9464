"""The worked example of docs/api.md: load three articles, flag and submit as a reviewer, read the scores
as an editor. Run with DOSSIER_URL and three tokens in the environment (see docs/api.md)."""
import os
import time

import httpx

BASE = os.environ.get("DOSSIER_URL", "http://localhost:8000") + "/api/v1"


def client(token_variable):
    """An httpx client sending one of the tokens (DOSSIER_ADMIN_TOKEN, ...) as a bearer token."""
    return httpx.Client(base_url=BASE, headers={"Authorization": f"Bearer {os.environ[token_variable]}"},
                        timeout=30)


def checked(response):
    """The response's JSON; an error says its code, message and the field at fault."""
    if response.is_error:
        error = response.json()
        raise SystemExit(f"{response.status_code} {error['code']}: {error['message']} (field: {error['field']})")
    return response.json()


# 1. An admin (token scope "import") loads three articles. More than one record runs as a task.
records = [
    {"title": "Border talks resume", "outlet": "Example Wire", "authors": ["A. Writer"],
     "body": "Iran's Foreign Ministry said talks would resume. Reports indicate tension is rising."},
    {"title": "Pipeline delayed", "outlet": "Example Wire",
     "body": "The ministry confirmed a delay [1]. Analysts say the cost will grow."},
    {"title": "An opinion on security", "outlet": "Example Post",
     "body": "This policy is a mistake. The border is calm, officials said."},
]
with client("DOSSIER_ADMIN_TOKEN") as admin:
    task = checked(admin.post("/articles", json=records))["task"]
    while task["status"] not in ("done", "failed"):
        time.sleep(0.5)
        task = checked(admin.get(f"/tasks/{task['id']}"))
    print("import:", task["summary"])

# 2. A reviewer (scopes "read" and "annotate") flags the first passage of each and submits.
with client("DOSSIER_REVIEWER_TOKEN") as reviewer:
    flags = {flag["name"]: flag["id"] for flag in checked(reviewer.get("/flags"))}
    articles = checked(reviewer.get("/articles", params={"sort": "title", "outlet": "Example"}))["items"]
    for article in articles:
        passages = checked(reviewer.get(f"/articles/{article['id']}"))["passages"]
        checked(reviewer.put(f"/articles/{article['id']}/review/flags",
                             json={"passage": passages[0]["id"], "flag": flags["Cites source"], "on": True}))
        if len(passages) > 1:
            checked(reviewer.put(f"/articles/{article['id']}/review/flags",
                                 json={"passage": passages[1]["id"], "flag": flags["Vague attribution"], "on": True,
                                       "note": "Who reports it?"}))
        review = checked(reviewer.post(f"/articles/{article['id']}/review/submit"))
        print("submitted:", article["title"], review["status"])

# 3. An editor (scope "read") reads the scores: the list, then each article's report.
with client("DOSSIER_EDITOR_TOKEN") as editor:
    page = checked(editor.get("/articles", params={"sort": "-sourced_fact_share", "outlet": "Example"}))
    for article in page["items"]:
        report = checked(editor.get(f"/articles/{article['id']}/report"))
        print(f"{article['title']}: sourced-fact share {report['sourced_fact_share']}, "
              f"reviewers {len(report['reviewers'])}")
