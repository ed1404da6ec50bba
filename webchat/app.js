// The citybot page: picks the language, starts rasa-webchat, handles the FR/EN switch.
// The language travels to Rasa as customData {"language": "fr"|"en"} on every message
// (the bot's language hint); switching also sends an explicit /switch_language payload.
(function () {
  "use strict";

  var STORAGE_KEY = "citybot.language";
  var LABELS = {
    en: {
      title: "Cities and COVID-19",
      intro: "Ask how learning cities responded to COVID-19: schools, food, health, masks…",
      placeholder: "Ask a question…",
      connecting: "Connecting to the chatbot server…",
      subtitle: "Learning cities' responses to COVID-19"
    },
    fr: {
      title: "Les villes face à la COVID-19",
      intro: "Demandez comment les villes apprenantes ont réagi à la COVID-19 : écoles, alimentation, santé, masques…",
      placeholder: "Posez une question…",
      connecting: "Connexion au serveur du chatbot…",
      subtitle: "Les réponses des villes apprenantes à la COVID-19"
    }
  };

  function supported(code) {
    return code === "fr" || code === "en" ? code : null;
  }

  function browserLanguage() {
    var tags = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < tags.length; i += 1) {
      var code = supported(String(tags[i]).slice(0, 2).toLowerCase());
      if (code) { return code; }
    }
    return "en";
  }

  function savedLanguage() {
    try { return supported(window.localStorage.getItem(STORAGE_KEY)); } catch (e) { return null; }
  }

  function saveLanguage(code) {
    try { window.localStorage.setItem(STORAGE_KEY, code); } catch (e) { /* private mode */ }
  }

  var config = window.CITYBOT_CONFIG || {};
  var language = savedLanguage() || browserLanguage();
  // One object, shared with rasa-webchat's socket: mutating it changes later messages.
  var customData = { language: language };
  var chat = null;

  function applyLabels(code) {
    var labels = LABELS[code];
    document.documentElement.lang = code;
    document.getElementById("page-title").textContent = labels.title;
    document.getElementById("page-intro").textContent = labels.intro;
    var buttons = document.querySelectorAll(".language-switch button");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].getAttribute("data-lang") === code));
    }
    var input = document.querySelector("#chat .rw-new-message");
    if (input) { input.setAttribute("placeholder", labels.placeholder); }
  }

  function switchLanguage(code) {
    if (!supported(code) || code === language) { return; }
    language = code;
    customData.language = code;
    saveLanguage(code);
    applyLabels(code);
    if (chat && typeof chat.sendMessage === "function") {
      chat.sendMessage("/switch_language" + JSON.stringify({ language: code }));
    }
  }

  // rasa-webchat renders markdown links without checking their scheme, so a bot text
  // like [x](javascript:...) would become a live link. Only http(s) and mailto links
  // keep their target; any other link is made inert (its text stays visible).
  var SAFE_LINK = /^(https?:|mailto:)/i;

  function disarmLinks(root) {
    var links = root.querySelectorAll ? root.querySelectorAll("a[href]") : [];
    for (var i = 0; i < links.length; i += 1) {
      var href = links[i].getAttribute("href").trim();
      if (!SAFE_LINK.test(href)) {
        links[i].removeAttribute("href");
        links[i].setAttribute("data-blocked-href", "true");
      }
    }
  }

  function watchLinks(element) {
    disarmLinks(element);
    new MutationObserver(function () { disarmLinks(element); })
      .observe(element, { childList: true, subtree: true, attributes: true, attributeFilter: ["href"] });
  }

  function startChat() {
    if (!window.WebChat || typeof window.WebChat.default !== "function") {
      document.getElementById("chat").textContent = "rasa-webchat is not installed (npm ci in webchat/).";
      return;
    }
    window.WebChat.default({
      socketUrl: config.socketUrl,
      socketPath: config.socketPath || "/socket.io/",
      initPayload: config.initPayload || "/greet",
      customData: customData,
      embedded: true,
      withRules: false,
      title: LABELS[language].title,
      subtitle: LABELS[language].subtitle,
      inputTextFieldHint: LABELS[language].placeholder,
      connectingText: LABELS[language].connecting,
      hideWhenNotConnected: false,
      customMessageDelay: function () { return 300; },
      params: { storage: "session" },  // the transcript ends with the tab (shared computers); a reload keeps it
      innerRef: function (instance) { chat = instance; }
    }, document.getElementById("chat"));
  }

  var buttons = document.querySelectorAll(".language-switch button");
  for (var i = 0; i < buttons.length; i += 1) {
    buttons[i].addEventListener("click", function (event) {
      switchLanguage(event.currentTarget.getAttribute("data-lang"));
    });
  }
  watchLinks(document.getElementById("chat"));
  applyLabels(language);
  saveLanguage(language);
  startChat();
  // Expose a tiny API for tests and for embedding pages.
  window.citybot = {
    language: function () { return language; },
    switchLanguage: switchLanguage
  };
}());
