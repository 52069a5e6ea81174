"""The Qt-free core: project store, schema, documents, offsets and edit commands."""
