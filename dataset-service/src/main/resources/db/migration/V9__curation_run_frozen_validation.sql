-- A curation run freezes the project's validation side at its base version before its first plan when the side is
-- not frozen yet (every round is then scored on the same validation items); the run records which version.
ALTER TABLE curation_run ADD COLUMN froze_val_version UUID;
