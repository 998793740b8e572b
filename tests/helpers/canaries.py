"""Secret values planted in settings: none may ever appear in output or logs."""

from __future__ import annotations

CANARIES = {
    "SLACK_BOT_TOKEN": "xoxb-canary-bot-7f3a9c",
    "SLACK_SIGNING_SECRET": "canary-signing-5d1e8b",
    "SLACK_APP_TOKEN": "xapp-canary-app-2b6c4d",
    "RINGCENTRAL_CLIENT_SECRET": "canary-rc-secret-9e0f1a",
    "RINGCENTRAL_JWT": "canary-rc-jwt-3c7d2e",
    "RINGCENTRAL_SIGNIN_CLIENT_SECRET": "canary-rc-signin-6d2a0b",
    "VOIPNOW_CLIENT_SECRET": "canary-voipnow-4a8b6c",
    "SMSPARTNER_API_KEY": "canary-smspartner-1f2e3d",
}
