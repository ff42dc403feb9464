// /api/docs: Swagger UI with the settings the page carries as JSON; a signed-in session's "Try it out"
// sends the page's CSRF token, as Dossier's forms do (a token request needs none).
"use strict";
(function () {
  const settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  const csrf = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.requestInterceptor = function (request) {
    if (csrf) {
      request.headers["X-CSRFToken"] = csrf;
    }
    return request;
  };
  SwaggerUIBundle(settings);
})();
