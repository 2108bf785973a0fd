/**
 * The login page a browser gets when the server has a token and it has no
 * cookie yet. Plain HTML and a form post: no script, so it works before (and
 * without) the UI bundle, which itself is behind the token.
 * @module
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page; `problem` is shown above the form after a failed try. */
export function loginPage(next: string, problem?: string): string {
  const notice = problem === undefined ? '' : `<p class="problem" role="alert">${escapeHtml(problem)}</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>cnnvis — log in</title>
<style>
body{font:15px system-ui,sans-serif;background:#f4f5f7;color:#1d2430;display:grid;place-items:center;min-height:100vh;margin:0}
form{background:#fff;padding:28px 32px;border-radius:8px;box-shadow:0 2px 12px #0002;width:min(360px,90vw)}
h1{font-size:20px;margin:0 0 6px}p{margin:0 0 16px;color:#556}
input{width:100%;box-sizing:border-box;padding:8px;font:inherit;border:1px solid #bbc;border-radius:4px;margin-bottom:14px}
button{padding:8px 18px;font:inherit;border:0;border-radius:4px;background:#2f6fde;color:#fff;cursor:pointer}
.problem{color:#b3261e}
</style></head>
<body><form method="post" action="login">
<h1>cnnvis</h1><p>This server needs its access token (the value of <code>--token</code>).</p>${notice}
<input type="password" name="token" autocomplete="current-password" aria-label="token" placeholder="token" autofocus required>
<input type="hidden" name="next" value="${escapeHtml(next)}">
<button type="submit">Log in</button>
</form></body></html>
`;
}
