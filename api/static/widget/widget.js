/*
 * Trygghetsdialog chat widget. A municipality adds it to any page with one tag:
 *   <script src="https://<api>/static/widget/widget.js" data-title="Trygghetsdialog" async></script>
 * Optional: data-api="https://<api>" when the API is not the origin the script comes from.
 *
 * It talks only to the API's chat gateway (POST /api/v1/chat), keeps the conversation in sessionStorage (this tab
 * only; no cookies, no localStorage), loads nothing from third parties and needs no inline script or style, so it
 * works under a strict Content-Security-Policy. It lives in a shadow root so the host page's CSS cannot break it.
 * Resident and bot text is only ever set with textContent; links are built with DOM APIs (http, https and tel only).
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || window.trygghetsdialogWidget) return;

  const API = (script.dataset.api || new URL(script.src).origin).replace(/\/+$/, "");
  const TITLE = script.dataset.title || "Trygghetsdialog";
  const STORE_KEY = "trygghetsdialog.v1";
  const REQUEST_TIMEOUT_MS = 45000;
  const DEFAULT_MAX_CHARS = 1000;

  const TEXT = {
    launcher: "Chatta om trygghet",
    close: "Stäng",
    closeLabel: "Stäng chatten",
    end: "Avsluta samtalet",
    note: "Anonymt – skriv inte namn, personnummer eller telefonnummer. Är någon i fara just nu, ring 112.",
    privacy: "Så hanterar vi det du skriver",
    newTab: " (öppnas i en ny flik)",
    welcome: "Hej! Skriv en hälsning eller berätta direkt vad som gör dig otrygg.",
    logLabel: "Samtalet",
    repliesLabel: "Svarsalternativ",
    inputLabel: "Ditt meddelande",
    send: "Skicka",
    you: "Du: ",
    bot: "Assistenten: ",
    typing: "Assistenten skriver …",
    count: (n, max) => `${n} av ${max} tecken`,
    full: (max) => `Du har nått gränsen på ${max} tecken.`,
    unreachable: "Det gick inte att nå chatten just nu. Det du skrev finns kvar – försök igen om en stund.",
    tooMany: "Du har skickat många meddelanden på kort tid. Vänta en stund och försök igen.",
    retry: "Försök igen",
    expired: "Samtalet hade gått ut, så nu börjar ett nytt. Skicka ditt meddelande igen.",
    ended: "Samtalet är avslutat och inget mer sparas.",
    again: "Skriv igen om du vill börja ett nytt samtal.",
  };

  // ---- state (sessionStorage: survives a reload in this tab, gone when the tab closes) ----

  const emptyState = () => ({ sessionId: null, messages: [], buttons: [], open: false });

  function load() {
    try {
      const saved = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && Array.isArray(saved.messages) && Array.isArray(saved.buttons)) return saved;
    } catch (error) {
      /* storage disabled or unreadable: start empty */
    }
    return emptyState();
  }

  function save() {
    try {
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (error) {
      /* storage full or disabled: the conversation still works, it just will not survive a reload */
    }
  }

  function forget() {
    try {
      window.sessionStorage.removeItem(STORE_KEY);
    } catch (error) {
      /* nothing stored */
    }
  }

  let state = load();
  let maxChars = DEFAULT_MAX_CHARS;
  let busy = false;
  let retryAction = null;

  // ---- DOM helpers ----

  function el(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  // URLs, www addresses and the phone numbers the bot gives (112, 114 14, 020-50 50 50, 90101, 116 111 …).
  const LINKABLE =
    /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'»”])|(www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/[^\s<>"]*[^\s<>".,;:!?)\]'»”])?)|(\b0\d{1,3}-\d{2,3}(?: \d{2,3}){1,3}\b|\b114 ?14\b|\b116 ?\d{3}\b|\b90101\b|\b112\b)/gi;

  function safeHref(match, url, www, phone) {
    if (phone) return "tel:" + phone.replace(/\D/g, "");
    try {
      const parsed = new URL(url || "https://" + www);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  /** Bot text as a fragment of text nodes and links: never parsed as HTML. */
  function linkify(text) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const found of text.matchAll(LINKABLE)) {
      const href = safeHref(...found);
      if (!href) continue;
      fragment.append(text.slice(last, found.index));
      const link = el("a", { href, text: found[0] });
      if (!href.startsWith("tel:")) {
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        link.append(el("span", { class: "visually-hidden", text: TEXT.newTab }));
      }
      fragment.append(link);
      last = found.index + found[0].length;
    }
    fragment.append(text.slice(last));
    return fragment;
  }

  // ---- the widget ----

  const host = el("div", { class: "trygghetsdialog-widget" });
  host.hidden = true; // until its stylesheet has loaded, so it never flashes unstyled
  const root = host.attachShadow({ mode: "open" });
  const stylesheet = el("link", { rel: "stylesheet", href: new URL("widget.css", script.src).href });
  stylesheet.addEventListener("load", () => { host.hidden = false; });
  stylesheet.addEventListener("error", () => { host.hidden = false; });

  const launcher = el("button", {
    type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "td-panel",
  }, [el("span", { class: "launcher-icon", "aria-hidden": "true" }), el("span", { text: TEXT.launcher })]);

  const heading = el("h2", { id: "td-title", class: "title", text: TITLE });
  const endButton = el("button", { type: "button", class: "end", text: TEXT.end });
  const closeButton = el("button", { type: "button", class: "close", "aria-label": TEXT.closeLabel }, [
    el("span", { "aria-hidden": "true", text: TEXT.close }),
  ]);
  const privacyLink = el("a", { href: API + "/integritet", target: "_blank", rel: "noopener noreferrer" }, [
    TEXT.privacy, el("span", { class: "visually-hidden", text: TEXT.newTab }),
  ]);
  const note = el("p", { class: "note" }, [TEXT.note + " ", privacyLink, "."]);
  const log = el("div", {
    class: "log", role: "log", "aria-live": "polite", "aria-label": TEXT.logLabel, tabindex: "0",
  });
  const typing = el("div", { class: "typing", role: "status" });
  const replies = el("div", { class: "replies", role: "group", "aria-label": TEXT.repliesLabel });
  const alertBox = el("div", { class: "alert", role: "alert" });
  const input = el("textarea", {
    id: "td-input", class: "input", rows: "2", "aria-describedby": "td-count", autocomplete: "off",
  });
  const counter = el("p", { id: "td-count", class: "count" });
  const sendButton = el("button", { type: "submit", class: "send", text: TEXT.send });
  const form = el("form", { class: "compose" }, [
    el("label", { for: "td-input", class: "label", text: TEXT.inputLabel }),
    el("div", { class: "compose-row" }, [input, sendButton]),
    counter,
  ]);
  const panel = el("section", { id: "td-panel", class: "panel", role: "dialog", "aria-labelledby": "td-title" }, [
    el("header", { class: "head" }, [heading, el("div", { class: "head-buttons" }, [endButton, closeButton])]),
    note, log, typing, replies, alertBox, form,
  ]);
  panel.hidden = true;
  root.append(stylesheet, launcher, panel);

  // ---- rendering ----

  function messageNode(message) {
    const body = el("p", { class: "text" });
    if (message.from === "me") body.textContent = message.text;
    else body.append(linkify(message.text));
    const node = el("div", { class: "msg msg-" + message.from }, [body]);
    const who = { me: TEXT.you, bot: TEXT.bot }[message.from];
    if (who) node.prepend(el("span", { class: "visually-hidden", text: who }));
    return node;
  }

  function showMessages(messages) {
    for (const message of messages) log.append(messageNode(message));
    log.scrollTop = log.scrollHeight;
  }

  function renderAll() {
    log.replaceChildren();
    if (state.messages.length === 0) log.append(messageNode({ from: "info", text: TEXT.welcome }));
    showMessages(state.messages);
    renderButtons();
  }

  function renderButtons() {
    replies.replaceChildren(...state.buttons.map((button) => {
      const node = el("button", { type: "button", class: "reply", text: button.title });
      node.addEventListener("click", () => sendMessage(button.payload, button.title));
      return node;
    }));
    replies.hidden = state.buttons.length === 0;
    // The buttons take room from the log: scroll again so the latest message stays in view.
    log.scrollTop = log.scrollHeight;
  }

  function updateCounter() {
    const length = input.value.length;
    counter.textContent = length >= maxChars ? TEXT.full(maxChars) : TEXT.count(length, maxChars);
    counter.classList.toggle("count-full", length >= maxChars);
  }

  function setBusy(value) {
    busy = value;
    typing.replaceChildren();
    if (value) {
      typing.append(
        el("span", { class: "dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
        el("span", { class: "visually-hidden", text: TEXT.typing }),
      );
    }
    sendButton.disabled = value;
    endButton.disabled = value;
    for (const button of replies.querySelectorAll("button")) button.disabled = value;
  }

  function showError(message, retry) {
    retryAction = retry;
    alertBox.replaceChildren(el("p", { text: message }));
    if (retry) {
      const again = el("button", { type: "button", class: "retry", text: TEXT.retry });
      again.addEventListener("click", () => {
        const action = retryAction;
        clearError();
        input.focus();
        if (action) action();
      });
      alertBox.append(again);
    }
  }

  /** After a turn: back to the input, or to "Försök igen" when the button the resident pressed is gone. */
  function settleFocus() {
    if (panel.hidden) return;
    const retry = alertBox.querySelector(".retry");
    if (retry && root.activeElement !== input) retry.focus();
    else input.focus();
  }

  function clearError() {
    retryAction = null;
    alertBox.replaceChildren();
  }

  // ---- talking to the gateway ----

  async function post(path, body) {
    const controller = new AbortController();
    const timer = window.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(API + path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
        signal: controller.signal,
      });
      let data = null;
      try {
        data = await response.json();
      } catch (error) {
        data = null;
      }
      return { status: response.status, data };
    } finally {
      window.clearTimeout(timer);
    }
  }

  function detailOf(data) {
    return data && typeof data.detail === "string" ? data.detail : null;
  }

  /** Handles a failed request; returns nothing. The typed text stays in the input for a retry. */
  function handleFailure(status, data, retry) {
    if (status === 400) {
      // The session is unknown (e.g. the server's key changed): start a new conversation.
      state.sessionId = null;
      state.buttons = [];
      save();
      renderButtons();
      showError(TEXT.expired, null);
    } else if (status === 422) {
      showError(detailOf(data) || TEXT.unreachable, null);
    } else if (status === 429) {
      showError(TEXT.tooMany, retry);
    } else {
      showError(TEXT.unreachable, retry);
    }
  }

  function applyReply(data, shown) {
    const added = [];
    if (shown !== null) added.push({ from: "me", text: shown });
    for (const reply of data.replies || []) added.push({ from: "bot", text: String(reply.text || "") });
    const last = (data.replies || []).filter((reply) => Array.isArray(reply.buttons) && reply.buttons.length).pop();
    if (data.ended) {
      // Nothing of the conversation is kept in the browser either.
      forget();
      state = emptyState();
      state.open = true;
      log.replaceChildren();
      const confirmation = added.filter((message) => message.from === "bot");
      showMessages(confirmation.length ? confirmation : [{ from: "info", text: TEXT.ended }]);
      showMessages([{ from: "info", text: TEXT.again }]);
      renderButtons();
      return;
    }
    if (state.messages.length === 0) log.replaceChildren();
    state.sessionId = data.session_id;
    state.messages.push(...added);
    state.buttons = last ? last.buttons.map((b) => ({ title: String(b.title), payload: String(b.payload) })) : [];
    save();
    showMessages(added);
    renderButtons();
  }

  /** Sends typed text (shown as typed) or a button's payload (shown as its title). */
  async function sendMessage(text, shown) {
    if (busy) return;
    const typed = shown === undefined;
    clearError();
    setBusy(true);
    try {
      const { status, data } = await post("/api/v1/chat", { session_id: state.sessionId, text });
      if (status === 200 && data) {
        if (typed) input.value = "";
        applyReply(data, typed ? text : shown);
      } else {
        handleFailure(status, data, () => sendMessage(text, shown));
      }
    } catch (error) {
      showError(TEXT.unreachable, () => sendMessage(text, shown));
    } finally {
      setBusy(false);
      updateCounter();
      settleFocus();
    }
  }

  async function endConversation() {
    if (busy) return;
    clearError();
    if (!state.sessionId) {
      applyReply({ replies: [], ended: true }, null);
      input.value = "";
      updateCounter();
      input.focus();
      return;
    }
    setBusy(true);
    try {
      const { status, data } = await post("/api/v1/chat/end", { session_id: state.sessionId });
      if (status === 200 && data) {
        input.value = "";
        applyReply(data, null);
      } else if (status === 400) {
        applyReply({ replies: [], ended: true }, null); // the server no longer knows it: nothing left to end
      } else {
        handleFailure(status, data, endConversation);
      }
    } catch (error) {
      showError(TEXT.unreachable, endConversation);
    } finally {
      setBusy(false);
      updateCounter();
      settleFocus();
    }
  }

  async function loadConfig() {
    try {
      const response = await fetch(API + "/api/v1/chat/config", { credentials: "omit", referrerPolicy: "no-referrer" });
      const data = await response.json();
      if (response.ok && Number.isInteger(data.max_chars) && data.max_chars > 0) maxChars = data.max_chars;
    } catch (error) {
      /* keep the default; the gateway still enforces its own limit */
    }
    input.maxLength = maxChars;
    updateCounter();
  }

  // ---- open, close, keyboard ----

  function open(focus = true) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    save();
    log.scrollTop = log.scrollHeight;
    if (focus) input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    launcher.focus();
  }

  launcher.addEventListener("click", () => open());
  closeButton.addEventListener("click", close);
  endButton.addEventListener("click", endConversation);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text) sendMessage(text);
    else input.focus();
  });
  input.addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter makes a new line (and Enter while composing a character does neither).
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener("input", updateCounter);

  function start() {
    document.body.append(host);
    input.maxLength = maxChars;
    updateCounter();
    renderAll();
    if (state.open) open(false);
    loadConfig();
  }

  window.trygghetsdialogWidget = { open, close };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
})();
