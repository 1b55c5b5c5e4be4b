"""The admin for appointments: the rules as data (editable), proposals,
decrees and hand-overs (read-only: they change only through their services,
with the audit trail). The models keep the `actors` app label, so the admin
lists them under Pelaku as before."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import AppointmentRule, Decree, Handover, Proposal, ProposalVersion


@admin.register(AppointmentRule)
class AppointmentRuleAdmin(admin.ModelAdmin):
    """Who proposes and who approves each actor kind's appointments: data an
    administrator changes here, not code."""

    list_display = ("target_kind", "approver_kind", "requires_decree", "note")
    filter_horizontal = ("proposer_kinds", "proposer_positions")


class ProposalVersionInline(ReadOnlyInline):
    """Proposals, decrees and hand-overs change only through their services
    (with the audit trail); the admin can look, never edit."""

    model = ProposalVersion
    fields = ("number", "submitted_by", "submitted_at", "data")
    readonly_fields = fields


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "version", "proposer_actor", "approver_actor", "submitted_at")
    list_filter = ("status", "actor__kind", "actor__province")
    list_select_related = ("actor__kind", "actor__province", "position", "user", "proposer_actor__kind")
    search_fields = ("full_name", "user__full_name", "user__username", "email")
    inlines = [ProposalVersionInline]


@admin.register(Decree)
class DecreeAdmin(ReadOnlyAdmin):
    list_display = ("number", "date", "actor", "subject", "start_date", "end_date")
    list_filter = ("actor__kind", "actor__province")
    list_select_related = ("actor__kind", "actor__province")
    search_fields = ("number", "subject")


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ("predecessor", "successor", "tasks_moved", "at")
