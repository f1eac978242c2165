"""Personal-data scrubbing for residents' free text (stdlib only, shared with the action server).

Import from the module: `from api.privacy.redact import redact`. Nothing is re-exported here, so that
the name `api.privacy.redact` always means the module, never the function.
"""
