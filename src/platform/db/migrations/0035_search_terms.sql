-- One-word relevance search from an index. property_search_terms holds, for every listed place
-- and every lexeme of its search vector, the place's rank for that lexeme alone: exactly what
-- ts_rank(search_vector, websearch_to_tsquery('english', q)) gives when q is one word, so its
-- key (lexeme, rank, property_id), read backwards, is that search's order (rank, then id, both
-- descending) and a page reads only its own rows. A trigger keeps it from here on: a row exists
-- exactly while its place is listed and not deleted. The places that exist already are filled
-- by the next migration, in batches. Creating the trigger takes a SHARE ROW EXCLUSIVE lock on
-- properties for an instant.
CREATE TABLE "property_search_terms" (
	"lexeme" text NOT NULL,
	"rank" real NOT NULL,
	"property_id" uuid NOT NULL,
	CONSTRAINT "property_search_terms_lexeme_rank_property_id_pk" PRIMARY KEY("lexeme","rank","property_id")
);--> statement-breakpoint
-- A lexeme as a one-word tsquery (quoted, so any character stands for itself).
CREATE FUNCTION property_search_lexeme_query(lexeme text) RETURNS tsquery
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	AS $$ SELECT ('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''')::tsquery $$;--> statement-breakpoint
CREATE FUNCTION property_search_terms_sync() RETURNS trigger
	LANGUAGE plpgsql
	AS $$
BEGIN
	IF TG_OP <> 'INSERT' AND OLD.status = 'listed' AND OLD.deleted_at IS NULL THEN
		IF TG_OP = 'UPDATE' AND NEW.status = 'listed' AND NEW.deleted_at IS NULL
			AND NEW.search_vector IS NOT DISTINCT FROM OLD.search_vector THEN
			RETURN NULL;
		END IF;
		DELETE FROM property_search_terms t
			USING unnest(tsvector_to_array(OLD.search_vector)) AS l(lexeme)
			WHERE t.lexeme = l.lexeme
				AND t.rank = ts_rank(OLD.search_vector, property_search_lexeme_query(l.lexeme))
				AND t.property_id = OLD.id;
	END IF;
	IF TG_OP <> 'DELETE' AND NEW.status = 'listed' AND NEW.deleted_at IS NULL THEN
		INSERT INTO property_search_terms (lexeme, rank, property_id)
			SELECT l.lexeme, ts_rank(NEW.search_vector, property_search_lexeme_query(l.lexeme)), NEW.id
			FROM unnest(tsvector_to_array(NEW.search_vector)) AS l(lexeme);
	END IF;
	RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER property_search_terms_sync
	AFTER INSERT OR DELETE OR UPDATE OF title, city, description, status, deleted_at ON properties
	FOR EACH ROW EXECUTE FUNCTION property_search_terms_sync();
