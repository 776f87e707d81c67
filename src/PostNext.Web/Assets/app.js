// PostNext web app: the only script. Pages work without it; it adds the composer's live preview and calendar drag and drop.
(() => {
  "use strict";

  // Composer: post the form to the preview endpoint as it changes, swap in the rendered preview (server-side rules).
  const composer = document.getElementById("composer");
  const preview = document.getElementById("preview");
  if (composer && preview && composer.dataset.preview) {
    let timer = 0, seq = 0;
    const refresh = async () => {
      const mine = ++seq;
      try {
        const response = await fetch(composer.dataset.preview, { method: "POST", body: new FormData(composer), credentials: "same-origin" });
        if (response.ok && mine === seq) {
          preview.innerHTML = await response.text();
          preview.dataset.version = String(mine);
        }
      } catch { /* the preview refreshes on the next change; saving still checks everything */ }
    };
    const schedule = () => { clearTimeout(timer); timer = setTimeout(refresh, 200); };
    composer.addEventListener("input", schedule);
    composer.addEventListener("change", schedule);
  }

  // Calendar: drag a publication onto another day; the hidden form posts the same "move" action as each entry's form.
  const move = document.getElementById("move");
  if (move) {
    let dragged = null;
    document.addEventListener("dragstart", e => {
      const pub = e.target.closest && e.target.closest('.pub[draggable="true"]');
      if (!pub) return;
      dragged = pub;
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", pub.dataset.post);
    });
    document.addEventListener("dragover", e => {
      const day = e.target.closest && e.target.closest(".day[data-date]");
      if (dragged && day) { e.preventDefault(); day.classList.add("drop"); }
    });
    document.addEventListener("dragleave", e => {
      const day = e.target.closest && e.target.closest(".day[data-date]");
      if (day) day.classList.remove("drop");
    });
    document.addEventListener("drop", e => {
      const day = e.target.closest && e.target.closest(".day[data-date]");
      if (!dragged || !day) return;
      e.preventDefault();
      move.action = "/app/act/posts/" + encodeURIComponent(dragged.dataset.post) + "/reschedule";
      move.elements.date.value = day.dataset.date;
      move.elements.time.value = dragged.dataset.time;
      dragged = null;
      move.submit();
    });
  }
})();
