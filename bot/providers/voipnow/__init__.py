"""VoipNow UnifiedAPI: OAuth client credentials, live phone calls, transfer."""
