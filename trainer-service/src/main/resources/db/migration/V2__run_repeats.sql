-- A run can train the model several times with consecutive seeds (seed, seed + 1, ...): each seed's results are kept
-- in the run's metrics (seedResults) so that two versions can be compared seed by seed.
ALTER TABLE training_run ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1;
