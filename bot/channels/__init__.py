"""Messaging-app connectors (Telegram, SMS/WhatsApp through Twilio) built on Rasa's own channel classes."""
