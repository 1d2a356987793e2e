-- A project can freeze its validation side at a version's val items (split configuration frozenValVersion): versions
-- made while frozen keep the same val side, so their scores are measured on the same set.
ALTER TABLE split_state ADD COLUMN frozen_val_version UUID;
ALTER TABLE split_state ADD COLUMN left_out_reasons TEXT; -- JSON {reason: items} of the current split
ALTER TABLE assignment ADD COLUMN reason TEXT;             -- why an item is out (side 'out'), else null
-- the frozen version a version's split was made with (null: the strategy chose its val side)
ALTER TABLE dataset_version ADD COLUMN frozen_val_version UUID;
