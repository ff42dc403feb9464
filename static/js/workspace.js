// Reviewer workspace: move between passages with j/k, toggle flags with their keys or buttons,
// select words to flag only those, and keep a note on each flag.
//
// This reviewer's own marks are drawn here from one state per passage: what the server last
// confirmed, plus the changes still on their way to it. A key press changes that state and
// redraws in the same frame; the changes of one passage are sent one after another, and a
// refused change is taken out again, with the reason shown. Keys are matched on event.code
// (the physical key), so they work under any keyboard layout.
(() => {
  "use strict";
  const root = document.querySelector(".workspace");
  if (!root) return;

  const data = JSON.parse(document.getElementById("workspace-data").textContent);
  const editable = root.dataset.editable === "true";
  const annotateUrl = root.dataset.annotateUrl;
  const csrfToken = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  const passages = Array.from(root.querySelectorAll(".passage"));
  const buttons = Array.from(root.querySelectorAll(".flag-button"));
  const statusLine = document.getElementById("status");
  const flaggedCount = document.getElementById("flagged");
  const progressBar = document.getElementById("progress-bar");
  const noteForms = root.querySelector(".note-forms");
  const noteEmpty = root.querySelector(".note-empty");
  const template = (id) => document.getElementById(id).content.firstElementChild;
  const markTemplate = template("own-mark-template");
  const formTemplate = template("note-form-template");
  const noteTemplate = template("own-note-template");

  const flags = new Map(data.flags.map((flag, order) => [String(flag.id), { ...flag, order }]));
  const keyCodes = new Map(); // event.code -> flag id
  for (const flag of flags.values()) {
    if (!flag.active || !flag.shortcut) continue;
    if (/[a-z]/.test(flag.shortcut)) keyCodes.set(`Key${flag.shortcut.toUpperCase()}`, String(flag.id));
    else for (const code of [`Digit${flag.shortcut}`, `Numpad${flag.shortcut}`]) keyCodes.set(code, String(flag.id));
  }

  // Marks as the server sends them (the page's data, a save's reply), keyed by flag id as the DOM writes it.
  function byFlag(marks) {
    return new Map(marks.map((mark) => [String(mark.flag), { ...mark, flag: String(mark.flag) }]));
  }

  // Per passage: its text as code points (offsets are code points, as on the server), the spans of
  // other reviewers' flags, the confirmed marks, the changes not yet answered, and the send chain.
  const states = new Map();
  for (const passage of passages) {
    const text = passage.querySelector(".text");
    const others = Array.from(passage.querySelectorAll(".mark.other[data-start]"), (mark) => ({
      flag: mark.dataset.flag,
      start: Number(mark.dataset.start),
      end: Number(mark.dataset.end),
    }));
    const confirmed = byFlag(data.marks[passage.dataset.passage] || []);
    states.set(passage, { chars: [...text.textContent], others, confirmed, pending: [], chain: Promise.resolve() });
  }

  let current = -1;
  let inFlight = 0;
  let choosing = null; // the flags offered after "n" on a passage with several
  let failure = "";

  // --- state ---------------------------------------------------------------------------

  function apply(marks, change) {
    if (!change.on) marks.delete(change.flag);
    else marks.set(change.flag, { flag: change.flag, start: null, end: null, note: "", evidence_url: "", ...marks.get(change.flag), ...change.details });
    return marks;
  }

  // What the reviewer means the passage to have: the server's last word with every unanswered change applied.
  function intended(passage) {
    const state = states.get(passage);
    return state.pending.reduce(apply, new Map(state.confirmed));
  }

  function sorted(marks) {
    return [...marks.values()].sort((a, b) => flags.get(a.flag).order - flags.get(b.flag).order);
  }

  function quoteOf(passage, mark) {
    return mark.start === null ? "" : states.get(passage).chars.slice(mark.start, mark.end).join("");
  }

  // --- drawing -------------------------------------------------------------------------

  function draw(passage) {
    const marks = sorted(intended(passage));
    const pending = new Set(states.get(passage).pending.map((change) => change.flag));
    const nodes = [];
    for (const mark of marks) {
      const pill = markTemplate.cloneNode(true);
      pill.classList.add(`flag-${mark.flag}`);
      pill.classList.toggle("pending", pending.has(mark.flag));
      pill.dataset.flag = mark.flag;
      pill.querySelector(".mark-name").textContent = flags.get(mark.flag).name + (mark.note || mark.evidence_url ? " ✎" : "");
      const quote = quoteOf(passage, mark);
      pill.querySelector(".mark-quote").textContent = quote ? `: “${quote}”` : "";
      nodes.push(pill);
      // Read only: the reviewer's own notes follow their flags, as other reviewers' do.
      if (!editable && (mark.note || mark.evidence_url)) {
        const note = noteTemplate.cloneNode(true);
        note.textContent = mark.note;
        if (mark.evidence_url) note.append(" ", evidenceLink(mark.evidence_url));
        nodes.push(note);
      }
    }
    passage.querySelector(".marks").replaceChildren(...nodes);
    highlight(passage, marks);
    if (passage === passages[current]) showCurrentFlags();
  }

  function evidenceLink(url) {
    const link = document.createElement("a");
    link.href = url;
    link.rel = "noopener noreferrer nofollow";
    link.textContent = "evidence";
    return link;
  }

  // Flagged words are marked in the text itself, in their flag's colour and its category's pattern;
  // the text is rebuilt from its characters, so a highlight never splits a surrogate pair.
  function highlight(passage, marks) {
    const state = states.get(passage);
    const spans = [
      ...marks.filter((mark) => mark.start !== null).map((mark) => ({ ...mark, mine: true })),
      ...state.others.map((mark) => ({ ...mark, mine: false })),
    ];
    const text = passage.querySelector(".text");
    if (!spans.length) {
      if (text.childElementCount) text.textContent = state.chars.join("");
      return;
    }
    const cuts = [...new Set([0, state.chars.length, ...spans.flatMap((span) => [span.start, span.end])])].sort((a, b) => a - b);
    const pieces = [];
    for (let i = 0; i < cuts.length - 1; i++) {
      const [from, to] = [cuts[i], cuts[i + 1]];
      const words = state.chars.slice(from, to).join("");
      const covering = spans.filter((span) => span.start <= from && span.end >= to);
      if (!covering.length) {
        pieces.push(document.createTextNode(words));
        continue;
      }
      const top = covering[0]; // one's own flag first
      const piece = document.createElement("mark");
      const flag = flags.get(top.flag);
      piece.className = `hl flag-${top.flag} hl-${flag.category}${top.mine ? "" : " other"}`;
      piece.title = covering.map((span) => flags.get(span.flag).name + (span.mine ? "" : " (another reviewer)")).join(", ");
      piece.textContent = words;
      pieces.push(piece);
    }
    text.replaceChildren(...pieces);
  }

  function showProgress() {
    if (!flaggedCount) return;
    const flagged = passages.filter((passage) => intended(passage).size > 0).length;
    flaggedCount.textContent = String(flagged);
    if (progressBar) progressBar.value = flagged;
  }

  function showStatus() {
    if (!statusLine) return;
    statusLine.classList.toggle("error", Boolean(failure));
    if (failure) statusLine.textContent = failure;
    else if (inFlight) statusLine.textContent = "Saving…";
    else statusLine.textContent = "Saved";
  }

  function say(message) {
    failure = message;
    showStatus();
  }

  // --- moving ----------------------------------------------------------------------------

  function select(index) {
    if (index < 0 || index >= passages.length || index === current) return;
    passages[current]?.classList.remove("current");
    passages[current]?.removeAttribute("aria-current");
    current = index;
    const passage = passages[current];
    passage.classList.add("current");
    passage.setAttribute("aria-current", "true");
    // Kept near the middle of the screen, so the next passages are always in view.
    passage.scrollIntoView({ block: "center" });
    history.replaceState(null, "", `#${passage.id}`);
    if (choosing) {
      choosing = null;
      showStatus(); // the question about the last passage's flags no longer stands
    }
    showCurrentFlags();
  }

  function showCurrentFlags() {
    const passage = passages[current];
    const marks = passage ? intended(passage) : new Map();
    for (const button of buttons) button.setAttribute("aria-pressed", String(marks.has(button.dataset.flag)));
    showNoteForms(passage, marks);
  }

  // --- notes -----------------------------------------------------------------------------

  // One small form per own flag of the current passage. A form the reviewer is typing in is never
  // replaced or refilled: only forms of flags that came or went change.
  function showNoteForms(passage, marks) {
    if (!editable) return;
    const wanted = passage ? sorted(marks) : [];
    const key = (passageId, flag) => `${passageId}:${flag}`;
    const existing = new Map(Array.from(noteForms.children, (form) => [key(form.dataset.passage, form.dataset.flag), form]));
    const forms = wanted.map((mark, index) => {
      let form = existing.get(key(passage.dataset.passage, mark.flag));
      if (!form) form = newNoteForm(passage, mark);
      else if (!isEditing(form)) fill(form, mark);
      form.querySelector(".choice-number").textContent = choosing ? `${index + 1} ` : "";
      return form;
    });
    // A note the server refused stays, whichever passage is current, until it is saved or cancelled.
    const refused = Array.from(noteForms.children).filter(
      (form) => form.classList.contains("unsaved") && !forms.includes(form)
    );
    for (const form of [...refused, ...forms]) {
      const elsewhere = refused.includes(form);
      form.classList.toggle("elsewhere", elsewhere);
      form.querySelector(".note-elsewhere").textContent = elsewhere ? " (another passage: not saved)" : "";
    }
    const shown = [...refused, ...forms];
    placeForms(shown);
    noteEmpty.hidden = shown.length > 0;
  }

  // Put the forms in order by moving the others around them: moving or removing the form being typed in
  // would take its focus away, and the next letters typed would be read as keys.
  function placeForms(shown) {
    const typing = document.activeElement;
    const caret = typing instanceof HTMLInputElement ? [typing.selectionStart, typing.selectionEnd] : null;
    for (const form of Array.from(noteForms.children)) if (!shown.includes(form) && !form.contains(typing)) form.remove();
    shown.forEach((form, index) => {
      if (noteForms.children[index] !== form && !form.contains(typing)) noteForms.insertBefore(form, noteForms.children[index] || null);
    });
    if (typing && noteForms.contains(typing) && document.activeElement !== typing) {
      typing.focus();
      if (caret) typing.setSelectionRange(...caret);
    }
  }

  function newNoteForm(passage, mark) {
    const form = formTemplate.cloneNode(true);
    form.dataset.flag = mark.flag;
    form.dataset.passage = passage.dataset.passage;
    form.classList.add(`flag-${mark.flag}`);
    form.querySelector(".note-flag").textContent = flags.get(mark.flag).name;
    fill(form, mark);
    return form;
  }

  function fill(form, mark) {
    form.elements.note.value = mark.note;
    form.elements.evidence_url.value = mark.evidence_url;
    form.saved = { note: mark.note, evidence_url: mark.evidence_url };
    form.classList.remove("unsaved");
  }

  // Typed in and not yet saved: being typed in now, or refused by the server.
  function isEditing(form) {
    return form.contains(document.activeElement) || form.classList.contains("unsaved");
  }

  function hasUnsavedNote() {
    return Array.from(noteForms?.children || []).some((form) => {
      const now = values(form);
      return now.note !== form.saved.note || now.evidence_url !== form.saved.evidence_url;
    });
  }

  function values(form) {
    return { note: form.elements.note.value, evidence_url: form.elements.evidence_url.value.trim() };
  }

  function commit(form) {
    const passage = passages.find((p) => p.dataset.passage === form.dataset.passage);
    const now = values(form);
    if (now.note === form.saved.note && now.evidence_url === form.saved.evidence_url) {
      form.classList.remove("unsaved");
      return;
    }
    if (!intended(passage).has(form.dataset.flag)) return; // the flag was taken off meanwhile
    form.saved = now;
    change(passage, { flag: form.dataset.flag, on: true, details: now, form });
  }

  function leaveForm(form, { restore }) {
    if (restore) {
      form.elements.note.value = form.saved.note;
      form.elements.evidence_url.value = form.saved.evidence_url;
      form.classList.remove("unsaved");
      if (form.classList.contains("elsewhere")) form.remove();
    }
    passages[current]?.focus({ preventScroll: true });
  }

  function focusNote(form) {
    choosing = null;
    showCurrentFlags();
    const input = form.elements.note;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length); // add to what is written
  }

  function askForNote() {
    if (current < 0) return say("Pick a passage first: click it, or press j.");
    const forms = Array.from(noteForms.children).filter((form) => !form.classList.contains("elsewhere"));
    if (!forms.length) return say("This passage has no flag of yours yet: press a flag’s key first, then n to write its note.");
    if (forms.length === 1) return focusNote(forms[0]);
    choosing = forms;
    showCurrentFlags();
    const names = forms.map((form, index) => `${index + 1} for ${flags.get(form.dataset.flag).name}`);
    failure = "";
    statusLine.classList.remove("error");
    statusLine.textContent = `Note on which flag? Press ${names.join(", ")}; Esc to go back.`;
  }

  // Saved when the reviewer leaves the form, not when moving between its two fields.
  noteForms?.addEventListener("focusout", (event) => {
    const form = event.target.closest("form");
    if (form && !form.contains(event.relatedTarget)) commit(form);
  });
  noteForms?.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    commit(form);
    leaveForm(form, { restore: false });
  });
  noteForms?.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.preventDefault();
    event.stopPropagation();
    const form = event.target.closest("form");
    leaveForm(form, { restore: true });
  });

  // --- saving ----------------------------------------------------------------------------

  function change(passage, change) {
    const state = states.get(passage);
    state.pending.push(change);
    inFlight += 1;
    failure = "";
    draw(passage);
    showProgress();
    showStatus();
    // A failure inside send() must not leave the chain rejected: every later change would wait forever.
    state.chain = state.chain.then(() => send(passage, change)).catch((error) => console.error(error));
    return state.chain;
  }

  async function send(passage, change) {
    const state = states.get(passage);
    const body = new URLSearchParams({ passage: passage.dataset.passage, flag: change.flag, on: change.on ? "1" : "0" });
    const offset = Number(passage.dataset.start);
    for (const [name, value] of Object.entries(change.details || {})) {
      body.set(name, name === "start" || name === "end" ? String(offset + value) : value);
    }
    let reply = null;
    let reason = "";
    try {
      const response = await fetch(annotateUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken },
        body,
        credentials: "same-origin",
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && Array.isArray(answer.marks)) reply = answer;
      else if (response.redirected || (response.ok && !answer.error)) {
        reason = "you are no longer signed in; sign in again in another tab, then repeat the change";
      }
      else reason = answer.error || `the server answered ${response.status}`;
    } catch {
      reason = "the server cannot be reached; check the connection and try again";
    }
    state.pending.splice(state.pending.indexOf(change), 1);
    inFlight -= 1;
    if (reply) {
      state.confirmed = byFlag(reply.marks);
      change.form?.classList.remove("unsaved");
      if (change.form?.classList.contains("elsewhere")) change.form.remove();
    } else {
      const name = flags.get(change.flag).name;
      const kept = state.confirmed.has(change.flag);
      const what = change.form ? `the note on “${name}” was kept in its form`
        : !change.on ? `“${name}” was put back`
        : kept ? `“${name}” keeps what it had before` : `“${name}” was taken off`;
      failure = `Not saved: ${reason.replace(/\.$/, "")}. ${what[0].toUpperCase()}${what.slice(1)}.`;
      if (change.form) {
        change.form.saved = { note: state.confirmed.get(change.flag)?.note ?? "", evidence_url: state.confirmed.get(change.flag)?.evidence_url ?? "" };
        change.form.classList.add("unsaved");
        if (!change.form.isConnected) noteForms.append(change.form); // the reviewer had moved on: bring it back
        showCurrentFlags();
      }
    }
    draw(passage);
    showProgress();
    showStatus();
  }

  // --- flags and selections ---------------------------------------------------------------

  // The selected words, if any, as code-point offsets into the text of the passage that holds them;
  // a selection reaching outside one passage's text is refused rather than guessed at.
  function selectedWords() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount || !selection.toString().trim()) return {};
    const range = selection.getRangeAt(0);
    const textOf = (node) => (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest(".passage > .text");
    const [first, last] = [textOf(range.startContainer), textOf(range.endContainer)];
    if (!first || !last) return { refusal: "The selected words are not all in the article’s text: select words inside one passage, or clear the selection (click once) to flag the whole passage." };
    if (first !== last) return { refusal: "The selection runs across passages: select words inside one passage, or clear the selection (click once) to flag the whole passage." };
    const before = document.createRange();
    before.selectNodeContents(first);
    before.setEnd(range.startContainer, range.startOffset);
    const lead = before.toString();
    const chosen = range.toString();
    const trimmed = chosen.trim();
    const start = [...lead].length + [...chosen.slice(0, chosen.indexOf(trimmed))].length;
    return { passage: first.parentElement, start, end: start + [...trimmed].length };
  }

  function toggle(flag) {
    if (!editable) return;
    choosing = null;
    const words = selectedWords();
    if (words.refusal) return say(words.refusal);
    // Words selected in another passage are flagged where they are: that passage becomes the current one.
    if (words.passage) select(passages.indexOf(words.passage));
    if (current < 0) return say("Pick a passage first: click it, or press j.");
    window.getSelection()?.removeAllRanges();
    const passage = passages[current];
    const mark = intended(passage).get(flag);
    if (words.passage && !(mark && mark.start === words.start && mark.end === words.end)) {
      change(passage, { flag, on: true, details: { start: words.start, end: words.end } });
    } else {
      change(passage, { flag, on: !mark });
    }
  }

  // --- keys and clicks ---------------------------------------------------------------------

  function isTyping(target) {
    return target instanceof Element && target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (isTyping(event.target) || isTyping(document.activeElement)) return;
    const code = event.code;
    if (choosing && /^(Digit|Numpad)[1-9]$/.test(code)) {
      const form = choosing[Number(code.slice(-1)) - 1];
      if (form) focusNote(form);
      event.preventDefault();
      return;
    }
    if (choosing && code === "Escape") {
      choosing = null;
      showCurrentFlags();
      showStatus();
      event.preventDefault();
      return;
    }
    if (code === "KeyJ" || code === "ArrowDown") select(current + 1);
    else if (code === "KeyK" || code === "ArrowUp") select(Math.max(current - 1, 0));
    else if (code === "KeyN" && editable) askForNote();
    else if (keyCodes.has(code)) {
      if (!event.repeat) toggle(keyCodes.get(code)); // a key held down toggles once
    }
    else return;
    event.preventDefault();
  });

  passages.forEach((passage, index) => {
    passage.tabIndex = -1;
    passage.addEventListener("click", (event) => {
      if (!isTyping(event.target) && !event.target.closest("a") && index !== current) select(index);
    });
  });

  root.addEventListener("click", (event) => {
    const opener = event.target.closest(".others-toggle");
    if (!opener) return;
    const list = document.getElementById(opener.getAttribute("aria-controls"));
    list.hidden = !list.hidden;
    opener.setAttribute("aria-expanded", String(!list.hidden));
  });

  for (const button of buttons) {
    // mousedown would clear a word selection before the click reads it
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => toggle(button.dataset.flag));
  }
  for (const button of root.querySelectorAll(".move-button")) {
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      if ("note" in button.dataset) askForNote();
      else select(Math.max(current + Number(button.dataset.move), 0));
    });
  }

  const submitForm = root.querySelector("form.submit-review");
  submitForm?.addEventListener("submit", async (event) => {
    event.preventDefault();
    document.activeElement?.blur(); // a note being typed is saved first
    failure = "";
    if (inFlight) {
      statusLine.textContent = "Saving… the review is submitted once every change is saved.";
      await Promise.all(passages.map((passage) => states.get(passage).chain));
      if (failure) return; // a change was refused meanwhile: its reason is on screen
    }
    // A refused note stays in its form with the reason on screen: nothing is submitted over it.
    if (hasUnsavedNote()) return say("A note is not saved yet: correct it and press Enter, or Esc to drop the change, then submit.");
    if (window.confirm(submitForm.dataset.confirm)) submitForm.submit();
  });

  // Leaving with a change not yet saved, or a note not yet saved, asks first.
  window.addEventListener("beforeunload", (event) => {
    if (inFlight || hasUnsavedNote()) event.preventDefault();
  });

  passages.forEach(draw);
  const start = passages.findIndex((passage) => `#${passage.id}` === window.location.hash);
  if (start >= 0) select(start);
})();
