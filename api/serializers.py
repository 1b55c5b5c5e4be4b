from rest_framework import serializers

from actors.models import Actor, ActorKind, Province
from core.clock import local_today
from duties.models import Duty, Task


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "code", "bps_code", "name", "timezone"]


class DutySerializer(serializers.ModelSerializer):
    actor_kind = serializers.SlugRelatedField(source="kind", slug_field="code", read_only=True)

    class Meta:
        model = Duty
        fields = ["id", "actor_kind", "number", "text", "category", "recurrence"]


class ActorKindSerializer(serializers.ModelSerializer):
    duties = DutySerializer(many=True, read_only=True)

    class Meta:
        model = ActorKind
        fields = ["code", "name", "short_name", "level", "duties"]


class ActorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    kind = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Actor
        fields = ["id", "name", "kind", "province"]


class TaskSerializer(serializers.ModelSerializer):
    duty = serializers.PrimaryKeyRelatedField(read_only=True)
    actor = serializers.PrimaryKeyRelatedField(read_only=True)
    label = serializers.CharField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "label",
            "duty",
            "actor",
            "origin",
            "period",
            "due_date",
            "status",
            "overdue",
            "completion_note",
            "completed_at",
        ]

    def get_overdue(self, task) -> bool:
        """Open and past its due date in its province's own date."""
        return task.is_overdue(local_today(task.actor.province))
