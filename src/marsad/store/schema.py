"""The event store's tables, as numbered migrations (``PRAGMA user_version`` says which have run).

A new version appends a migration; it never edits an old one, so any older
``marsad.db`` upgrades in place when opened. The tables are described for
users in docs/store.md.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: documents and what was extracted from them, and the run log.
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,      -- SHA-256 of the text: the same article is stored once
        source TEXT NOT NULL,                   -- file:line it was read from
        title TEXT, url TEXT, outlet TEXT,
        published TEXT,                         -- ISO 8601 publication date, when known
        text TEXT NOT NULL,
        meta TEXT NOT NULL,                     -- the input's other fields, JSON
        country_context TEXT NOT NULL,          -- JSON list of ISO codes
        marsad_version TEXT NOT NULL,
        run_id INTEGER NOT NULL REFERENCES runs(id)
    );
    CREATE INDEX documents_doc_id ON documents(doc_id);
    CREATE INDEX documents_published ON documents(published);
    -- Full-text search over the text with diacritics, tatweel and letter variants folded (marsad.text.normalize).
    CREATE VIRTUAL TABLE documents_fts USING fts5(search_text, content='', tokenize='unicode61');
    CREATE TABLE sentences (
        document_id INTEGER NOT NULL REFERENCES documents(id),
        n INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        PRIMARY KEY (document_id, n)
    );
    CREATE TABLE entities (
        document_id INTEGER NOT NULL REFERENCES documents(id),
        n INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
        type TEXT NOT NULL, actor_id TEXT, canonical TEXT, cameo TEXT, sector TEXT, country TEXT,
        place_id TEXT, place_name TEXT, lat REAL, lon REAL, explanation TEXT NOT NULL,
        PRIMARY KEY (document_id, n)
    );
    CREATE INDEX entities_actor ON entities(actor_id);
    CREATE TABLE actors (                       -- one row per actor id met, with its mention count
        actor_id TEXT PRIMARY KEY, name TEXT, type TEXT, country TEXT, sector TEXT, mentions INTEGER NOT NULL
    );
    CREATE TABLE places (                       -- one row per geocoded place met, with its mention count
        place_id TEXT PRIMARY KEY, name TEXT, name_ar TEXT, lat REAL, lon REAL, country TEXT,
        feature_class TEXT, mentions INTEGER NOT NULL
    );
    CREATE TABLE events (
        document_id INTEGER NOT NULL REFERENCES documents(id),
        n INTEGER NOT NULL,
        type TEXT NOT NULL, mode TEXT, cameo TEXT, cameo_root TEXT, quad_class INTEGER, goldstein REAL,
        modality TEXT NOT NULL,
        trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL, trigger_text TEXT NOT NULL,
        sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL,
        source_text TEXT, source_actor_id TEXT, target_text TEXT, target_actor_id TEXT,
        location_text TEXT, lat REAL, lon REAL, attribution_text TEXT,
        date TEXT, date_precision TEXT NOT NULL,   -- day | week | month | unknown (recognize/dates.py)
        explanation TEXT NOT NULL,                 -- JSON: why each field was coded so
        PRIMARY KEY (document_id, n)
    );
    CREATE INDEX events_type ON events(type);
    CREATE INDEX events_date ON events(date);
    CREATE INDEX events_source ON events(source_actor_id);
    CREATE INDEX events_target ON events(target_actor_id);
    CREATE TABLE quantities (
        document_id INTEGER NOT NULL REFERENCES documents(id),
        n INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
        what TEXT, unit TEXT, value REAL, min REAL, max REAL, approximate INTEGER,
        of_text TEXT, of_actor_id TEXT, explanation TEXT NOT NULL,
        PRIMARY KEY (document_id, n)
    );
    CREATE TABLE stances (
        document_id INTEGER NOT NULL REFERENCES documents(id),
        n INTEGER NOT NULL, holder_text TEXT, holder_actor_id TEXT, object_text TEXT, polarity TEXT NOT NULL,
        event TEXT, explanation TEXT NOT NULL,
        PRIMARY KEY (document_id, n)
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL, finished_at TEXT,
        status TEXT NOT NULL,                   -- running | finished | interrupted (a later run found it unfinished)
        command TEXT NOT NULL, marsad_version TEXT NOT NULL,
        stored INTEGER NOT NULL DEFAULT 0, already_stored INTEGER NOT NULL DEFAULT 0,
        skipped INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE run_issues (                   -- every input a run skipped or remarked on, and why
        run_id INTEGER NOT NULL REFERENCES runs(id),
        source TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL
    );
    """,
    # 2: cross-article event clusters (the same real event reported by several articles), actors' CAMEO codes.
    """
    CREATE TABLE event_clusters (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL, modality TEXT NOT NULL,
        source_actor_id TEXT, target_actor_id TEXT,
        place_key TEXT,                         -- the place's coordinates rounded to 0.01 degree, or NULL
        location_text TEXT, lat REAL, lon REAL,
        first_date TEXT, last_date TEXT,
        mentions INTEGER NOT NULL,              -- events (mentions) in the cluster
        articles INTEGER NOT NULL               -- distinct articles reporting it
    );
    CREATE INDEX event_clusters_key ON event_clusters(type, modality, source_actor_id, target_actor_id, place_key,
                                                      first_date);
    ALTER TABLE events ADD COLUMN cluster_id INTEGER REFERENCES event_clusters(id);
    CREATE INDEX events_cluster ON events(cluster_id);
    ALTER TABLE actors ADD COLUMN cameo TEXT;
    UPDATE actors SET cameo = (SELECT n.cameo FROM entities n WHERE n.actor_id = actors.actor_id LIMIT 1);
    """,
    # 3: the countries each article is about, as rows, so a country filter is an index lookup (not JSON parsing).
    """
    CREATE TABLE document_countries (
        document_id INTEGER NOT NULL REFERENCES documents(id),
        country TEXT NOT NULL,                  -- ISO alpha-2, from documents.country_context
        PRIMARY KEY (country, document_id)
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO document_countries (document_id, country)
        SELECT d.id, j.value FROM documents d, json_each(d.country_context) j;
    """,
    # 4: where each event's source, target, place and attribution, each stance's holder and object, and each
    # count's actor are in the article (character offsets, as the trigger's). Rows stored before this version
    # keep NULL there: their offsets were not kept, and guessing them from the words would be wrong where the
    # words occur twice.
    """
    ALTER TABLE events ADD COLUMN source_start INTEGER;
    ALTER TABLE events ADD COLUMN source_end INTEGER;
    ALTER TABLE events ADD COLUMN target_start INTEGER;
    ALTER TABLE events ADD COLUMN target_end INTEGER;
    ALTER TABLE events ADD COLUMN location_start INTEGER;
    ALTER TABLE events ADD COLUMN location_end INTEGER;
    ALTER TABLE events ADD COLUMN attribution_start INTEGER;
    ALTER TABLE events ADD COLUMN attribution_end INTEGER;
    ALTER TABLE stances ADD COLUMN holder_start INTEGER;
    ALTER TABLE stances ADD COLUMN holder_end INTEGER;
    ALTER TABLE stances ADD COLUMN object_start INTEGER;
    ALTER TABLE stances ADD COLUMN object_end INTEGER;
    ALTER TABLE quantities ADD COLUMN of_start INTEGER;
    ALTER TABLE quantities ADD COLUMN of_end INTEGER;
    """,
    # 5: a change counter every connection reads the same (PRAGMA data_version is per connection, so a reader's
    # cache cannot key on it), bumped by triggers whatever writes the documents (ingest, load, a user's script);
    # and which process runs a run, so a new run marks only dead runs 'interrupted', not a concurrent one.
    """
    CREATE TABLE store_changes (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
    INSERT INTO store_changes (id, n) VALUES (1, 0);
    CREATE TRIGGER documents_inserted AFTER INSERT ON documents BEGIN UPDATE store_changes SET n = n + 1; END;
    CREATE TRIGGER documents_deleted AFTER DELETE ON documents BEGIN UPDATE store_changes SET n = n + 1; END;
    CREATE TRIGGER documents_updated AFTER UPDATE ON documents BEGIN UPDATE store_changes SET n = n + 1; END;
    CREATE TRIGGER runs_changed AFTER UPDATE ON runs BEGIN UPDATE store_changes SET n = n + 1; END;
    ALTER TABLE runs ADD COLUMN pid INTEGER;
    ALTER TABLE runs ADD COLUMN host TEXT;
    """,
    # 6: how political/conflict-related each article is (recognize/relevance.py), so a user can keep the news
    # that matters; documents stored before this version stay NULL (unscored), which no --min-relevance keeps.
    """
    ALTER TABLE documents ADD COLUMN relevance REAL;
    CREATE INDEX documents_relevance ON documents(relevance);
    """,
    # 7: `marsad watch` (docs/watch.md): each source's health and conditional-GET state, the entries already
    # handled (so a restart fetches nothing twice), and the alerts raised, once per rule and event cluster (or
    # spike group and day), with what was delivered where.
    """
    CREATE TABLE watch_sources (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL,                     -- feed | folder
        location TEXT NOT NULL,                 -- the feed's URL or the folder's path
        last_poll TEXT, next_poll TEXT, last_ok TEXT,
        etag TEXT, last_modified TEXT,          -- the feed's validators, sent back as If-None-Match / If-Modified-Since
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        articles INTEGER NOT NULL DEFAULT 0     -- articles stored from it, all told
    );
    CREATE TABLE watch_seen (                   -- what a source's entry (canonical URL, or file path) last gave
        source TEXT NOT NULL,
        key TEXT NOT NULL,
        content_hash TEXT,                      -- of the text stored from it (NULL: seen, nothing to store)
        version TEXT,                           -- the feed entry's updated/published date and title then: a new
                                                -- one says the article was edited, and its page is fetched again
        document_id INTEGER REFERENCES documents(id),
        seen TEXT NOT NULL,
        PRIMARY KEY (source, key)
    );
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        rule TEXT NOT NULL,
        kind TEXT NOT NULL,                     -- event | spike
        subject TEXT NOT NULL,                  -- event: the cluster id; spike: 'COUNTRY|TYPE|DAY'
        created TEXT NOT NULL,
        document_id INTEGER REFERENCES documents(id), event_n INTEGER,
        payload TEXT NOT NULL,                  -- JSON: what the alert says (evidence, URL, source, figures)
        delivered_jsonl INTEGER NOT NULL DEFAULT 0,
        delivered_webhook INTEGER NOT NULL DEFAULT 0,
        webhook_attempts INTEGER NOT NULL DEFAULT 0,
        UNIQUE (rule, subject)
    );
    -- alerts_after_document: the last document the alert rules have seen (a restart resumes after it)
    CREATE TABLE watch_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TRIGGER alerts_inserted AFTER INSERT ON alerts BEGIN UPDATE store_changes SET n = n + 1; END;
    CREATE TRIGGER sources_changed AFTER UPDATE ON watch_sources BEGIN UPDATE store_changes SET n = n + 1; END;
    CREATE TRIGGER sources_inserted AFTER INSERT ON watch_sources BEGIN UPDATE store_changes SET n = n + 1; END;
    """,
)
