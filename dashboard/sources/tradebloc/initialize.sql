-- The Parquet paths below are relative to the dashboard folder, where `serving` links
-- to the serving copy (`make dashboard` points it). `evidence dev` re-runs an edited
-- source from .evidence/template: look two folders up as well.
set file_search_path = '.,../..';
