"""Custom actions for the Trygghetsdialog bot (rasa_sdk imports every submodule of this package)."""
