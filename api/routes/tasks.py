"""/v1/tasks/{id}: a background import's progress, for whoever started it (or an admin)."""
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from dossier.models import Job

from ..auth import auth
from ..models import Token
from .common import Id, responses

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


@router.get("tasks/{id:task_id}", response=responses(TaskOut), auth=auth(Token.Scope.READ),
            summary="A task's progress")
def task(request, task_id: int = Id("The task's id.")):
    job = get_object_or_404(Job, pk=task_id)
    if not job.may_be_followed_by(request.user):
        raise PermissionDenied("Only who started this task, or an admin, may follow it.")
    return task_data(job)
