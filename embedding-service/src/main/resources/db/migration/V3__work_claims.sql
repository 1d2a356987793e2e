-- Replicas share the embedding work: a replica claims a batch of pending items for a while (a lease), others skip
-- them; a replica that dies mid-batch leaves claims that expire, and the items are taken up again.
ALTER TABLE item ADD COLUMN claimed_until TIMESTAMPTZ;
