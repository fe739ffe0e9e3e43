// The explorer's start: who is calling, the key form, the search panel and the views by URL.
//
//   #/                          welcome
//   #/identity/ID/TAB           a customer (tabs: profile, timeline, graph, explain, ring)
//   #/rings  #/rings/RING_ID    fraud rings (analyst role or above)
//   #/quality[/SOURCE[/RUN_ID]] data quality: ingest runs per source (analyst role or above)
//   #/review                    the review queue: near pairs to accept or reject (analyst or above)

import {gql} from "./api.js";
import {h, fill} from "./dom.js";
import {showIdentity} from "./identity.js";
import {hideNotice, initNotice, showError} from "./notice.js";
import {showQuality} from "./quality.js";
import {VIEWER} from "./queries.js";
import {showReview} from "./review.js";
import {showRings} from "./rings.js";
import {initSearch, refreshSearch} from "./search.js";
import {apiKey, currentViewer, isAgent, masked, setApiKey, setViewer} from "./session.js";

const $ = (id) => document.getElementById(id);

function welcome(main) {
  const viewer = currentViewer();
  fill(
    main,
    h(
      "section",
      {className: "welcome"},
      h("h1", {}, "Customer 360 explorer"),
      h("p", {}, "Search for a customer by name, email or phone on the left, then open them to see ",
        "their golden record and where each value came from, their journey across channels, the ",
        "identity graph that joins their records, and why any two records are, or are not, one person."),
      viewer
        ? h("p", {}, `You are using the key “${viewer.name}” with the ${viewer.role} role.`,
          isAgent()
            ? " Find a caller by their phone number or email: you see their email and phone, the rest masked."
            : masked() ? " Personal data (emails, phones, street addresses, birth dates) is masked for this role." : "")
        : h("p", {}, "Paste an API key (button “API key” at the top) to start."),
      h("p", {className: "hint"}, "Everything here comes from this server's GraphQL API (",
        h("a", {href: "/graphql"}, "/graphql"), "), with your key's permissions."),
    ),
  );
}

function route() {
  const main = $("main");
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  for (const link of document.querySelectorAll(".mainnav a")) link.removeAttribute("aria-current");
  if (parts[0] === "identity" && parts[1]) {
    $("nav-customers").setAttribute("aria-current", "page");
    showIdentity(main, parts[1], parts[2] || "profile");
  } else if (parts[0] === "rings") {
    $("nav-rings").setAttribute("aria-current", "page");
    showRings(main, parts[1] || null);
  } else if (parts[0] === "quality") {
    $("nav-quality").setAttribute("aria-current", "page");
    showQuality(main, parts[1] || null, parts[2] || null);
  } else if (parts[0] === "review") {
    $("nav-review").setAttribute("aria-current", "page");
    showReview(main);
  } else {
    $("nav-customers").setAttribute("aria-current", "page");
    welcome(main);
  }
}

function showRole(viewer) {
  const badge = $("role-badge");
  badge.className = "badge";
  if (!viewer) {
    badge.textContent = apiKey() ? "key not accepted" : "no API key";
    badge.classList.add("badge-none");
    return;
  }
  const pii = isAgent() ? " · caller's email and phone" : masked() ? " · PII masked" : "";
  badge.textContent = `${viewer.name} · ${viewer.role}${pii}`;
  badge.classList.add(`badge-${viewer.role}`);
}

function openKeyForm(open) {
  $("key-form").hidden = !open;
  $("key-toggle").setAttribute("aria-expanded", String(open));
  if (open) $("key-input").focus();
}

async function whoAmI() {
  try {
    const data = await gql(VIEWER);
    setViewer(data.viewer);
    hideNotice();
  } catch (error) {
    setViewer(null);
    showError(error, whoAmI);
    if (error.code === "UNAUTHENTICATED") openKeyForm(true);
  }
  showRole(currentViewer());
  route();
  refreshSearch();
}

function initKeyForm() {
  $("key-toggle").addEventListener("click", () => openKeyForm($("key-form").hidden));
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setApiKey($("key-input").value);
    $("key-input").value = "";
    openKeyForm(false);
    whoAmI();
  });
  $("key-forget").addEventListener("click", () => {
    setApiKey("");
    $("key-input").value = "";
    whoAmI();
  });
}

function start() {
  initNotice();
  initKeyForm();
  initSearch();
  window.addEventListener("hashchange", route);
  window.addEventListener("unhandledrejection", (event) => showError(event.reason));
  whoAmI();
}

start();
