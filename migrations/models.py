"""Every service's tables, imported so that migrations see one metadata. Migrations are the
one place that may know every service's models."""

import chat.channels.models  # noqa: F401
import chat.conversations.models  # noqa: F401
import chat.keys.models  # noqa: F401
import gateway.auth.models  # noqa: F401
import gateway.orgs.models  # noqa: F401
import gateway.secrets.models  # noqa: F401
import llm.models  # noqa: F401
import modules.library.models  # noqa: F401
import nlu.models  # noqa: F401
import notify.models  # noqa: F401
import scenarios.bot.models  # noqa: F401
import scenarios.scenario.models  # noqa: F401
import stt.models  # noqa: F401
