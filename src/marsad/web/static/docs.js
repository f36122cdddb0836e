// The /docs page: Swagger UI from the package's vendored copy, over /openapi.json (no CDN, no inline script).
window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
