// The sign-in page: a username and password (Loupe's own accounts), or the organisation's identity provider when
// the label service is configured for OpenID Connect (/api/ui-config says so).
const params = new URLSearchParams(location.search);
const next = params.get('next');
// only a path on this site, never another origin
const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';

async function start() {
  try {
    const r = await fetch('/api/ui-config');
    if (r.ok && (await r.json()).oidc) {
      document.getElementById('oidc').hidden = false;
    }
  } catch (e) { /* local accounts only */ }
  if (params.get('error')) document.getElementById('signin-error').textContent = params.get('error');
  document.getElementById('signin-form').addEventListener('submit', async e => {
    e.preventDefault();
    const error = document.getElementById('signin-error');
    error.textContent = '';
    const body = { username: document.getElementById('username').value, password: document.getElementById('password').value };
    const r = await fetch('/api/auth/session', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin',
    });
    if (r.ok) {
      location.assign(target);
      return;
    }
    let detail = `HTTP ${r.status}`;
    try { detail = (await r.json()).detail || detail; } catch (x) { /* not JSON */ }
    error.textContent = detail;
  });
}

start();
