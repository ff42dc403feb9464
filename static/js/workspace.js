// Reviewer workspace: move between passages with j/k or the mouse, toggle flags with
// their keys or buttons, select words to flag only those, and keep notes. Every change
// is saved at once; the server answers with the passage's marks, rendered by the same
// template as the page.
(() => {
  "use strict";
  const root = document.querySelector(".workspace");
  if (!root) return;

  const editable = root.dataset.editable === "true";
  const annotateUrl = root.dataset.annotateUrl;
  const csrfToken = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  const passages = Array.from(root.querySelectorAll(".passage"));
  const buttons = Array.from(root.querySelectorAll(".flag-button"));
  const flagged = document.getElementById("flagged");
  const status = document.getElementById("status");
  const shortcuts = new Map(buttons.filter((b) => b.dataset.shortcut).map((b) => [b.dataset.shortcut, b.dataset.flag]));
  let current = -1;
  let pending = Promise.resolve(); // saves run one after another, in the order they were asked for

  function say(message, isError = false) {
    status.textContent = message;
    status.classList.toggle("error", isError);
  }

  function hasFlag(passage, flag) {
    return passage.querySelector(`.mark[data-mine][data-flag="${flag}"]`) !== null;
  }

  function showPressed() {
    const passage = passages[current];
    for (const button of buttons) {
      button.setAttribute("aria-pressed", String(Boolean(passage) && hasFlag(passage, button.dataset.flag)));
    }
  }

  function select(index) {
    if (index < 0 || index >= passages.length) return;
    passages[current]?.classList.remove("current");
    passages[current]?.removeAttribute("aria-current");
    current = index;
    const passage = passages[current];
    passage.classList.add("current");
    passage.setAttribute("aria-current", "true");
    passage.scrollIntoView({ block: "nearest" });
    showPressed();
  }

  // The selected words inside a passage's text, as code-point offsets into the article body.
  function selectedRange(passage) {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    const range = selection.getRangeAt(0);
    const text = passage.querySelector(".text");
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
    const before = document.createRange();
    before.selectNodeContents(text);
    before.setEnd(range.startContainer, range.startOffset);
    const lead = before.toString();
    const chosen = range.toString();
    const trimmed = chosen.trim();
    if (!trimmed) return null;
    // JavaScript counts UTF-16 units; the server counts code points.
    const start = [...lead].length + [...chosen.slice(0, chosen.indexOf(trimmed))].length;
    const offset = Number(passage.dataset.start);
    return { start: offset + start, end: offset + start + [...trimmed].length };
  }

  function save(passage, fields) {
    pending = pending.then(async () => {
      const body = new URLSearchParams({ passage: passage.dataset.passage, ...fields });
      let response;
      try {
        response = await fetch(annotateUrl, {
          method: "POST",
          headers: { "X-CSRFToken": csrfToken },
          body,
          credentials: "same-origin",
        });
      } catch {
        say("Not saved: the server cannot be reached. Try again.", true);
        return;
      }
      const data = await response.json().catch(() => ({}));
      if (!response.ok) {
        say(`Not saved: ${data.error || `the server answered ${response.status}`}.`, true);
        return;
      }
      passage.querySelector(".marks").innerHTML = data.marks_html;
      flagged.textContent = data.flagged;
      showPressed();
      say("Saved.");
    });
    return pending;
  }

  function toggle(flag) {
    if (!editable) return;
    if (current < 0) {
      say("Pick a passage first: click it, or press j.", true);
      return;
    }
    const passage = passages[current];
    const fields = { flag, on: hasFlag(passage, flag) ? "0" : "1" };
    const range = fields.on === "1" ? selectedRange(passage) : null;
    if (range) Object.assign(fields, range);
    window.getSelection()?.removeAllRanges();
    save(passage, fields);
  }

  // Focus the note of the passage's own mark with the caret after what is written, so
  // typing adds to an existing note (a focused input puts the caret at its start).
  function editNote(passage) {
    const input = passage.querySelector(".details input[name=note]");
    if (!input) return;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  function isTyping(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) {
      if (event.key === "Escape") {
        event.target.blur();
        passages[current]?.focus({ preventScroll: true });
      }
      return;
    }
    const key = event.key;
    if (key === "j" || key === "ArrowDown") select(current + 1);
    else if (key === "k" || key === "ArrowUp") select(Math.max(current - 1, 0));
    else if (key === "n" && current >= 0) editNote(passages[current]);
    else if (shortcuts.has(key.toLowerCase())) toggle(shortcuts.get(key.toLowerCase()));
    else return;
    event.preventDefault();
  });

  passages.forEach((passage, index) => {
    passage.tabIndex = -1;
    passage.addEventListener("click", (event) => {
      if (!isTyping(event.target) && !event.target.closest("a") && index !== current) select(index);
    });
  });

  for (const button of buttons) {
    // mousedown would clear a word selection before the click reads it
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => toggle(button.dataset.flag));
  }

  // Notes and evidence save when a field changes (on Enter or when leaving it).
  root.addEventListener("change", (event) => {
    const details = event.target.closest(".details");
    if (!details) return;
    const passage = details.closest(".passage");
    save(passage, {
      flag: details.dataset.flag,
      on: "1",
      note: details.querySelector("[name=note]").value,
      evidence_url: details.querySelector("[name=evidence_url]").value,
    });
  });
  root.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.closest(".details")) event.target.blur();
  });

  const submitForm = root.querySelector("form.submit-review");
  submitForm?.addEventListener("submit", (event) => {
    if (!window.confirm(submitForm.dataset.confirm)) event.preventDefault();
  });
})();
