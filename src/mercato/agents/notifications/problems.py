"""The notifications agent's problem types (problem+json, stable codes)."""

from __future__ import annotations

from mercato.kernel.errors import NotFound, Problem


class InvalidPreference(Problem):
    status, code, title = 422, "invalid_preference", "No such kind or channel"


class InvalidProfile(Problem):
    status, code, title = 422, "invalid_profile", "The contact details are not valid"


class MessageNotFound(NotFound):
    code, title = "notification_not_found", "No such notification"


class KindNotFound(NotFound):
    code, title = "notification_kind_not_found", "No such kind of notification"


class TemplateNotFound(NotFound):
    code, title = "template_not_found", "No such template"


class DeviceNotFound(NotFound):
    code, title = "device_not_found", "No such device"


class NotRetryable(Problem):
    status, code, title = 409, "not_retryable", "Only a failed or bounced message can be sent again"


class WebhookRejected(Problem):
    status, code, title = 400, "invalid_webhook", "The webhook's signature or key is not valid"
