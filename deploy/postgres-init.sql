-- Runs once, when the PostgreSQL volume is created: Rasa's tracker store gets its own database, owned by the
-- same role as the API's (bot/tracker_store.py creates its `events` table on first start).
CREATE DATABASE rasa_tracker OWNER trygg;
