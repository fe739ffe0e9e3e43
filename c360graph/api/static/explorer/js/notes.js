// Notes staff wrote on a profile, and the form to add one (the admin role only).

import {gql} from "./api.js";
import {fill, h, when} from "./dom.js";
import {errorBox} from "./notice.js";
import {ADD_NOTE, NOTES} from "./queries.js";
import {can, currentViewer} from "./session.js";

const MAX_LENGTH = 10000; // the API refuses longer notes

function list(connection) {
  if (!connection.edges.length) return h("p", {className: "empty", id: "notes-empty"}, "No notes yet.");
  return h(
    "ol",
    {className: "note-list", id: "note-list"},
    connection.edges.map(({node}) =>
      h("li", {dataset: {id: node.id}}, h("p", {className: "note-text"}, node.text),
        h("p", {className: "note-meta"}, `${node.author} · ${when(node.at)}`))),
  );
}

function form(section, id) {
  const allowed = can("admin");
  const viewer = currentViewer();
  const textarea = h("textarea", {
    id: "note-text", rows: 3, maxlength: MAX_LENGTH, required: true, disabled: !allowed,
    "aria-describedby": "note-help",
  });
  const status = h("p", {className: "hint", id: "note-status", role: "status"});
  const help = allowed
    ? "Your note is kept with your key's name and the time."
    : `Adding notes needs the admin role; your key${viewer ? ` “${viewer.name}” is ${viewer.role}` : " is not known"}.`;
  const element = h(
    "form",
    {className: "note-form", id: "note-form"},
    h("label", {for: "note-text"}, "Add a note"),
    textarea,
    h("p", {className: "hint", id: "note-help"}, help),
    h("button", {type: "submit", disabled: !allowed}, "Add note"),
    status,
  );
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = textarea.value.trim();
    if (!text) return;
    element.querySelector("button").disabled = true;
    status.textContent = "Saving…";
    try {
      await gql(ADD_NOTE, {id, text});
      textarea.value = "";
      const data = await gql(NOTES, {id});
      fill(section, h("h3", {}, "Notes"), list(data.identity.notes), form(section, id));
      section.querySelector("#note-status").textContent = "Note added.";
    } catch (error) {
      status.textContent = "";
      element.append(errorBox(error));
      element.querySelector("button").disabled = false;
    }
  });
  return element;
}

/** Render the notes of identity `id` (a NoteConnection) with the add-note form into `section`. */
export function renderNotes(section, id, connection) {
  fill(section, h("h3", {}, "Notes"), list(connection), form(section, id));
}
