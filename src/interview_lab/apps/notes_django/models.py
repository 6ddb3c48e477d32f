"""M of MVT: the Note model. The ORM maps it to the table ``notes_django_note``."""

from django.db import models


class Note(models.Model):
    title = models.CharField(max_length=100)
    body = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    def as_dict(self) -> dict:
        return {"id": self.pk, "title": self.title, "body": self.body}
