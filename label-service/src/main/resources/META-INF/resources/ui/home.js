// Projects: create one with its classes, import an ImageFolder zip into the current one.
import * as api from './api.js';
import { el, toast, problemText, projectCreated } from './app.js';

export function homeView(main, state) {
  const name = el('input', { id: 'new-name', required: true, placeholder: 'roman-numerals' });
  const classes = el('input', { id: 'new-classes', required: true, placeholder: 'i, ii, iii, iv, v, vi, vii, viii, ix, x', size: 40 });
  const create = el('form', { class: 'card', 'aria-labelledby': 'create-h', onsubmit: async e => {
    e.preventDefault();
    try {
      const p = await api.label('/api/projects', { method: 'POST', body: {
        name: name.value.trim(), classes: classes.value.split(',').map(s => s.trim()).filter(Boolean) } });
      toast(`Project ${p.name} created`);
      await projectCreated(p);
    } catch (err) { toast(problemText(err), 'error'); }
  } },
    el('h2', { id: 'create-h', text: 'New project' }),
    el('label', {}, 'Name ', name), el('label', {}, 'Classes (comma separated) ', classes),
    el('button', { type: 'submit', text: 'Create' }));

  const file = el('input', { type: 'file', id: 'import-file', accept: '.zip,application/zip', required: true });
  const status = el('p', { id: 'import-status', role: 'status' });
  const upload = el('form', { class: 'card', 'aria-labelledby': 'import-h', onsubmit: async e => {
    e.preventDefault();
    if (!state.project) return toast('Create a project first', 'error');
    const form = new FormData();
    form.append('file', file.files[0]);
    try {
      const job = await api.label(`/api/projects/${state.project.id}/imports`, { method: 'POST', body: form });
      status.textContent = `Importing ${job.total} images...`;
      const poll = async () => {
        const j = await api.label(`/api/imports/${job.importId}`);
        status.textContent = `${j.status}: ${j.done} of ${j.total} (${j.imported} imported, ${j.skipped} skipped, ${j.failed.length} failed)`;
        if (j.status === 'RUNNING' || j.status === 'QUEUED') setTimeout(poll, 500);
        else toast(`Import finished: ${j.imported} images`);
      };
      poll();
    } catch (err) { toast(problemText(err), 'error'); }
  } },
    el('h2', { id: 'import-h', text: state.project ? `Import into ${state.project.name}` : 'Import' }),
    el('p', { text: 'A zip in ImageFolder layout: <class>/<file> or <split>/<class>/<file>.' }),
    el('label', {}, 'Zip file ', file), el('button', { type: 'submit', text: 'Import' }), status);

  main.append(el('section', { class: 'home' }, create, upload,
    el('section', { class: 'card' }, el('h2', { text: 'Projects' }),
      el('ul', {}, state.projects.map(p => el('li', {}, `${p.name} (${p.classes.join(', ')})`))))));
}
