#!/usr/bin/env bash
# Checks the freshness rule of finsam_store::freshness on a real hot standby (the tests have no
# replica): a primary and a streaming standby in a temporary folder, an audit_events stand-in,
# a write still running while the standby takes its reading, another committed meanwhile. Once
# the slow write commits, the rule must call it new to the reading; pg_visible_in_snapshot()
# does not (on PostgreSQL 15 a standby's pg_current_snapshot() lists no running transaction).
# Run as a user PostgreSQL accepts (not root): `su postgres -c "bash freshness-on-a-standby.sh"`.
# FINSAM_PG_BIN: the PostgreSQL bin folder [pg_config --bindir].
set -euo pipefail
B=${FINSAM_PG_BIN:-$(pg_config --bindir)}
DIR=$(mktemp -d)
trap '"$B/pg_ctl" -D "$DIR/s" stop -m fast >/dev/null 2>&1 || true; "$B/pg_ctl" -D "$DIR/p" stop -m fast >/dev/null 2>&1 || true; rm -rf "$DIR"' EXIT
"$B/initdb" -D "$DIR/p" -U postgres -A trust >/dev/null
printf "port=54901\nlisten_addresses=''\nunix_socket_directories='%s'\nwal_level=replica\n" "$DIR" >> "$DIR/p/postgresql.conf"
echo "local replication all trust" >> "$DIR/p/pg_hba.conf"
"$B/pg_ctl" -D "$DIR/p" -l "$DIR/p.log" start -w >/dev/null
"$B/pg_basebackup" -h "$DIR" -p 54901 -U postgres -D "$DIR/s" -R
sed -i 's/^port=54901/port=54902/' "$DIR/s/postgresql.conf"
"$B/pg_ctl" -D "$DIR/s" -l "$DIR/s.log" start -w >/dev/null
P=("$B/psql" -h "$DIR" -p 54901 -U postgres -Atq)
S=("$B/psql" -h "$DIR" -p 54902 -U postgres -Atq)
"${P[@]}" -c "CREATE TABLE audit_events (id bigint GENERATED ALWAYS AS IDENTITY, v int,
                                         xact_id xid8 DEFAULT pg_current_xact_id())"
"${P[@]}" -c "INSERT INTO audit_events (v) VALUES (0)"
sleep 1
"${P[@]}" -c "BEGIN; INSERT INTO audit_events (v) VALUES (1); SELECT pg_sleep(4); COMMIT" >/dev/null &
sleep 1.5
"${P[@]}" -c "INSERT INTO audit_events (v) VALUES (2)"
sleep 0.5
[ "$("${S[@]}" -c "SELECT pg_is_in_recovery()")" = t ]
# freshness::current
READ=$("${S[@]}" -F'|' -c "SELECT s::text, ARRAY(SELECT DISTINCT xact_id::text FROM audit_events
                             WHERE xact_id >= pg_snapshot_xmin(s) AND xact_id < pg_snapshot_xmax(s))
                           FROM pg_current_snapshot() AS s")
SNAP=${READ%%|*} COMMITTED=${READ#*|}
echo "standby's reading while the slow write runs: snapshot $SNAP, committed in its window $COMMITTED"
wait
sleep 0.5
# freshness::NEW_SINCE
RULE=$("${S[@]}" -c "SELECT string_agg(v::text, ',') FROM audit_events
                     WHERE xact_id >= pg_snapshot_xmin('$SNAP'::pg_snapshot)
                       AND (xact_id >= pg_snapshot_xmax('$SNAP'::pg_snapshot)
                            OR xact_id <> ALL('$COMMITTED'::text[]::xid8[]))")
VISIBLE=$("${S[@]}" -c "SELECT coalesce(string_agg(v::text, ','), 'none') FROM audit_events
                        WHERE xact_id >= pg_snapshot_xmin('$SNAP'::pg_snapshot)
                          AND NOT pg_visible_in_snapshot(xact_id, '$SNAP'::pg_snapshot)")
echo "new to the reading after the commit: by the rule $RULE; by pg_visible_in_snapshot $VISIBLE"
[ "$RULE" = 1 ] || { echo "FAIL: the rule must find the slow write (1) and only it"; exit 1; }
echo ok
