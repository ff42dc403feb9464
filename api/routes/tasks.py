"""/v1/tasks/{id}: a background import's progress, for whoever started it (or an admin)."""
from datetime import datetime

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from dossier.models import Job
from dossier.roles import Role, has_role

from ..auth import auth
from ..models import Token
from .common import Id, found, responses

router = Router(tags=["tasks"])


class TaskOut(Schema):
    id: int
    kind: str
    status: str
    total: int
    done: int
    lines: list[dict]
    summary: str
    created_at: datetime
    finished_at: datetime | None


def task_data(job):
    return {"id": job.pk, "kind": job.kind, "status": job.status, "total": job.total, "done": job.done,
            "lines": job.lines, "summary": job.summary, "created_at": job.created_at, "finished_at": job.finished_at}


@router.get("tasks/{int:task_id}", response=responses(TaskOut), auth=auth(Token.Scope.READ),
            summary="A task's progress")
def task(request, task_id: int = Id("The task's id.")):
    job = found(Job, pk=task_id)
    # As the job page: only who started it, or an admin.
    if job.created_by_id != request.user.pk and not has_role(request.user, Role.ADMIN):
        raise PermissionDenied("Only who started this task, or an admin, may follow it.")
    return task_data(job)
