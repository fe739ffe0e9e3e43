// Creates the uniqueness constraints (and so the key indexes) of the customer graph.
// Idempotent: IF NOT EXISTS makes re-running a no-op. Run by `c360 db migrate`.
// Parameters: none.
// Generated from c360graph/graph/schema.py and cypher/templates/schema/constraints.cypher.tmpl
// by `make cypher`; do not edit.
CREATE CONSTRAINT customer_key IF NOT EXISTS FOR (n:Customer) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT email_address IF NOT EXISTS FOR (n:Email) REQUIRE n.address IS UNIQUE;
CREATE CONSTRAINT phone_e164 IF NOT EXISTS FOR (n:Phone) REQUIRE n.e164 IS UNIQUE;
CREATE CONSTRAINT device_id IF NOT EXISTS FOR (n:Device) REQUIRE n.device_id IS UNIQUE;
CREATE CONSTRAINT address_key IF NOT EXISTS FOR (n:Address) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT loyalty_value IF NOT EXISTS FOR (n:LoyaltyId) REQUIRE n.value IS UNIQUE;
CREATE CONSTRAINT national_hash IF NOT EXISTS FOR (n:NationalId) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT order_key IF NOT EXISTS FOR (n:Order) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT interaction_key IF NOT EXISTS FOR (n:Interaction) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT consent_key IF NOT EXISTS FOR (n:Consent) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT channel_name IF NOT EXISTS FOR (n:Channel) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT source_name IF NOT EXISTS FOR (n:Source) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT ingest_run_id IF NOT EXISTS FOR (n:IngestRun) REQUIRE n.run_id IS UNIQUE;
CREATE CONSTRAINT identity_id IF NOT EXISTS FOR (n:Identity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT resolution_run_id IF NOT EXISTS FOR (n:ResolutionRun) REQUIRE n.run_id IS UNIQUE;
CREATE CONSTRAINT resolution_lock_name IF NOT EXISTS FOR (n:ResolutionLock) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT resolution_model_name IF NOT EXISTS FOR (n:ResolutionModel) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT event_sequence_name IF NOT EXISTS FOR (n:EventSequence) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT tombstone_id IF NOT EXISTS FOR (n:Tombstone) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT suppressed_hash IF NOT EXISTS FOR (n:Suppressed) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT household_id IF NOT EXISTS FOR (n:Household) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT fraud_ring_id IF NOT EXISTS FOR (n:FraudRing) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT analysis_run_id IF NOT EXISTS FOR (n:AnalysisRun) REQUIRE n.run_id IS UNIQUE;
