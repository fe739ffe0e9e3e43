// Data quality (analyst role or above): every source's ingest runs, what each read, landed
// and rejected and why, and the records it kept with field problems.
//
//   #/quality                  the sources, each with its newest run
//   #/quality/SOURCE           that source's runs, newest first
//   #/quality/SOURCE/RUN_ID    one run: rejects by reason, problems by field, and the records

import {gql} from "./api.js";
import {chip, facts, fill, h, loading, orDash, table, when} from "./dom.js";
import {errorBox} from "./notice.js";
import {INGEST_RUNS, INGEST_RUN_PROBLEMS, INGEST_SOURCES} from "./queries.js";
import {can} from "./session.js";

const PAGE = 20;
let token = 0;

function href(source, runId = null) {
  const path = [source, runId].filter(Boolean).map(encodeURIComponent).join("/");
  return `#/quality/${path}`;
}

function status(run) {
  if (run.status !== "finished") return chip(run.status, "run-status bad");
  if (!run.addsUp) return chip("counts do not add up", "run-status bad");
  return chip(run.rejected || run.withIssues ? "finished with problems" : "clean",
    `run-status ${run.rejected || run.withIssues ? "warn" : "good"}`);
}

function figures(run) {
  return [run.read, run.landed, run.rejected, run.withIssues].map((n) => h("span", {className: "num"}, String(n)));
}

function sum(run) {
  return `read ${run.read} = landed ${run.landed} (created ${run.created}, updated ${run.updated}, ` +
    `unchanged ${run.unchanged}) + rejected ${run.rejected}`;
}

const FIGURES = ["Read", "Landed", "Rejected", "Kept with problems"];

function sourcesTable(sources) {
  const rows = sources.map((source) => {
    const run = source.lastRun;
    return [
      h("a", {href: href(source.name), className: "source-link", dataset: {source: source.name}}, source.name),
      String(source.runs),
      run ? when(run.startedAt) : "—",
      ...(run ? figures(run) : ["—", "—", "—", "—"]),
      run ? status(run) : "—",
    ];
  });
  return table("Sources, with their newest run", ["Source", "Runs", "Newest run", ...FIGURES, "Status"], rows,
    "grid quality-table sources-table");
}

function runsTable(source, runs, page) {
  const rows = runs.map((run) => [
    h("a", {href: href(source, run.id), className: "run-link", dataset: {run: run.id}}, when(run.startedAt)),
    run.kind,
    h("span", {title: orDash(run.file)}, run.fileName || "(API)"),
    ...figures(run),
    status(run),
  ]);
  return table(`Runs of ${source}, newest first (page ${page + 1})`, ["Started", "Kind", "File", ...FIGURES, "Status"],
    rows, "grid quality-table runs-table");
}

/** Keyset pages of one list: the cursor to ask with, and Previous/Next that call `load`. */
function pager(load) {
  const cursors = [null];
  let page = 0;
  return {
    get after() { return cursors[page]; },
    get number() { return page; },
    /** The buttons for the page just loaded (its pageInfo says whether another follows). */
    nav(label, pageInfo) {
      cursors[page + 1] = pageInfo.hasNextPage ? pageInfo.endCursor : undefined;
      return h("nav", {className: "pager", "aria-label": label},
        h("button", {type: "button", disabled: page === 0, onClick: () => { page -= 1; load(); }}, "‹ Previous"),
        h("button", {type: "button", disabled: !pageInfo.hasNextPage, onClick: () => { page += 1; load(); }}, "Next ›"));
    },
  };
}

function problemRows(records) {
  return records.flatMap(({node}) => node.problems.map((problem) => {
    const identity = node.customerRecord && node.customerRecord.identityId;
    const record = identity
      ? h("a", {href: `#/identity/${encodeURIComponent(identity)}/profile`}, node.record)
      : h("code", {}, node.record);
    return [String(node.line), record, problem.field, problem.problem, problem.value === null ? "—" : h("code", {}, problem.value)];
  }));
}

function runCard(run, records) {
  return h("section", {className: "card run", id: "quality-run-card", dataset: {run: run.id}, "aria-label": "Ingest run"},
    h("h3", {}, `${run.source} · ${run.kind} · ${run.fileName || "through the API"}`),
    facts([
      ["Counts", h("strong", {id: "run-sum"}, sum(run))],
      ["Status", h("span", {}, status(run), run.error ? ` ${run.error}` : "")],
      ["File", run.file ? h("code", {}, run.file) : "records sent to the API (ingestRecords)"],
      ["SHA-256", run.fileSha256 ? h("code", {}, run.fileSha256) : "—"],
      ["Started", when(run.startedAt)],
      ["Finished", run.finishedAt ? when(run.finishedAt) : "not finished (running, or interrupted)"],
      ["Run", h("code", {}, run.id)],
    ]),
    run.rejectReasons.length
      ? table("Rejected rows, by reason (the reject file beside the input has each row)", ["Reason", "Rows"],
        run.rejectReasons.map((r) => [r.reason, h("span", {className: "num"}, String(r.rows))]), "grid reasons-table")
      : h("p", {className: "empty"}, "No row was rejected."),
    run.problems.length
      ? table("Records kept with field problems, by field and problem", ["Field", "Problem", "Records"],
        run.problems.map((p) => [p.field, p.problem, h("span", {className: "num"}, String(p.records))]), "grid problems-table")
      : h("p", {className: "empty"}, "No record was kept with a field problem."),
    records);
}

async function showRun(into, runId, current) {
  fill(into, loading("Loading the run"));
  const records = h("div", {id: "run-records"});
  const pages = pager(load);
  async function load() {
    let data;
    try {
      data = await gql(INGEST_RUN_PROBLEMS, {id: runId, first: PAGE, after: pages.after});
    } catch (error) {
      if (current()) fill(into, errorBox(error, load));
      return;
    }
    if (!current()) return;
    const run = data.ingestRun;
    if (!run) {
      fill(into, h("p", {className: "empty"}, `No ingest run ${runId}.`));
      return;
    }
    const {edges, pageInfo} = run.problemRecords;
    const nav = pages.nav("Problem record pages", pageInfo);
    fill(records, edges.length
      ? [table(`Records kept with field problems, in file order (page ${pages.number + 1})`,
        ["Line", "Record", "Field", "Problem", "Value dropped"], problemRows(edges), "grid problem-records"), nav]
      : h("p", {className: "empty"}, run.withIssues ? "The records it kept with problems have been erased since." : ""));
    fill(into, runCard(run, records));
  }
  await load();
}

async function showRuns(into, source, current) {
  const pages = pager(load);
  async function load() {
    let data;
    try {
      data = await gql(INGEST_RUNS, {source, first: PAGE, after: pages.after});
    } catch (error) {
      if (current()) fill(into, errorBox(error, load));
      return;
    }
    if (!current()) return;
    const {edges, pageInfo} = data.ingestRuns;
    const nav = pages.nav("Run pages", pageInfo);
    fill(into, edges.length
      ? [runsTable(source, edges.map((e) => e.node), pages.number), nav]
      : h("p", {className: "empty"}, `No ingest runs of ${source}.`));
  }
  await load();
}

/** The data quality view: the sources, then the runs of `source`, then run `runId`. */
export async function showQuality(main, source, runId) {
  const mine = ++token;
  const current = () => mine === token;
  const sources = h("div", {id: "quality-sources"}, loading("Loading the sources"));
  const runs = h("div", {id: "quality-runs"});
  const run = h("div", {id: "quality-run"});
  fill(main, h("section", {className: "quality"},
    h("h1", {}, "Data quality"),
    h("p", {className: "hint"}, "Every ingest run per source: rows read, landed and rejected (read = landed + ",
      "rejected), why rows were rejected, and the records kept with a field problem (a value dropped, the rest ",
      "of the row landed). ", h("code", {}, "c360 ingest history"), " shows the same. It needs the analyst role."),
    !can("analyst") ? h("p", {className: "masked-note"}, "Your key's role does not include the ingest history: the API will refuse.") : null,
    sources, source ? h("h2", {}, `Runs of ${source}`) : null, runs, run));
  try {
    const data = await gql(INGEST_SOURCES);
    if (!current()) return;
    fill(sources, data.ingestSources.length
      ? sourcesTable(data.ingestSources)
      : h("p", {className: "empty"}, "Nothing ingested yet: ", h("code", {}, "c360 ingest FILE --source NAME"), "."));
  } catch (error) {
    if (current()) fill(sources, errorBox(error, () => showQuality(main, source, runId)));
    return;
  }
  if (source) await showRuns(runs, source, current);
  if (runId && current()) await showRun(run, runId, current);
}
