// Check an objective as it is typed: the server runs devcycle's checker and returns its
// findings; they are shown in a live region so that screen readers hear them too.
(function () {
  "use strict";
  const box = document.querySelector("textarea[data-check]");
  const out = document.getElementById("check-result");
  if (!box || !out) return;
  let timer = null;
  let latest = 0;
  function show(result) {
    out.replaceChildren();
    if (!result.findings.length) {
      const ok = document.createElement("p");
      ok.className = "ok";
      ok.textContent = "The checker has no suggestions.";
      out.append(ok);
      return;
    }
    const list = document.createElement("ul");
    for (const finding of result.findings) {
      const item = document.createElement("li");
      const code = document.createElement("strong");
      code.textContent = finding.code + " ";
      item.append(code, finding.message + " ", Object.assign(document.createElement("em"), { textContent: finding.fix }));
      list.append(item);
    }
    out.append(list);
  }
  async function check() {
    const ticket = ++latest;
    const response = await fetch(box.dataset.check, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: box.value }),
      credentials: "same-origin",
    });
    if (!response.ok || ticket !== latest) return;
    show(await response.json());
  }
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, 300);
  });
})();
