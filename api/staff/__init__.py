"""The staff tool's service layer: plain functions that the JSON routes (api/routes/staff_*.py) and the staff web
pages both call. Every function takes the SQLAlchemy session as a keyword argument; functions that change data take
the acting `StaffUser`, write an audit event (api/staff/audit.py) and commit.

- `review`      list/filter/search concerns (keyset pagination), detail, themes, status, notes, bulk actions
- `lagesbild`   the situation picture: theme × area × period counts, patterns, felt safety, quotes, suppression
- `promises`    medborgarlöften: create, edit, publish, activities, linked concerns, follow-up, public view
- `export`      CSV and XLSX of the lägesbild and of concern lists
- `areas`       districts and places: import from JSON, GeoJSON for the map, the index the chat uses to match places
- `themes`      admin: add, rename, retire and reactivate themes (never delete)
- `users`       admin: staff accounts and roles
- `audit`       the append-only audit trail and a concern's timeline
- `permissions` named permissions with Swedish labels, and which role has which
- `periods`     date ranges in Swedish local time
- `demo`        `trygg seed-demo`: a clearly fictional dataset for Exempelstad
- `effective`   keeps `effective_theme` (what the counts read) in step with every change to a concern's themes
"""
