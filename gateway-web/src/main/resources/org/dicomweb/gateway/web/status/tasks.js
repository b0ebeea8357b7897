// The retrieval tasks status page (docs/jobs.md#status-page): polls GET /tasks every 2 s while the tab is visible and
// draws each task. Every value from the server goes into the page as text (append of strings, textContent, dataset),
// never as markup, so a task id or reason that looks like HTML is shown, not run.
'use strict';
(() => {
  const API = new URL('../tasks', document.currentScript.src);
  const PAGE = 50;
  const REFRESH_MS = 2000;
  const FINAL = new Set(['COMPLETED', 'WARNING', 'FAILED', 'CANCELED']);
  const FIELDS = ['state', 'batchId', 'aet'];
  // How an attempt delivers; null until the first attempt chose.
  const METHODS = {store: 'through the gateway', move: 'C-MOVE straight to the destination'};

  const $ = id => document.getElementById(id);
  const list = $('tasks');
  let limit = PAGE;
  let timer = null;
  let loading = null;
  // taskId -> {json, element}: a task whose JSON did not change keeps its element (and an opened failure list).
  let drawn = new Map();

  /** An element with a class and children; strings become text nodes. */
  function h(tag, className, ...children) {
    const element = document.createElement(tag);
    if (className) {
      element.className = className;
    }
    element.append(...children.filter(child => child !== null && child !== undefined));
    return element;
  }

  function filters() {
    const params = new URLSearchParams();
    for (const field of FIELDS) {
      const value = $(field).value.trim();
      if (value) {
        params.set(field, value);
      }
    }
    return params;
  }

  async function refresh() {
    clearTimeout(timer);
    timer = null;
    if (loading) {
      loading.abort();
    }
    const controller = new AbortController();
    loading = controller;
    const params = filters();
    params.set('offset', '0');
    params.set('limit', String(limit));
    try {
      const response = await fetch(API + '?' + params, {
        headers: {Accept: 'application/json'}, cache: 'no-store', signal: controller.signal});
      if (!response.ok) {
        throw new Error(await reasonOf(response));
      }
      draw(await response.json());
      showError(null);
    } catch (e) {
      if (e.name !== 'AbortError') {
        showError('Could not load the tasks from ' + API.pathname + ': ' + e.message);
      }
    } finally {
      if (loading === controller) {
        loading = null;
        if (!document.hidden) {
          timer = setTimeout(refresh, REFRESH_MS);
        }
      }
    }
  }

  async function reasonOf(response) {
    try {
      const body = await response.json();
      return response.status + ' ' + (body.reason || response.statusText);
    } catch (e) {
      return response.status + ' ' + response.statusText;
    }
  }

  function showError(message) {
    const error = $('error');
    error.hidden = message === null;
    error.textContent = message || '';
  }

  function draw(page) {
    const tasks = page.tasks || [];
    const next = new Map();
    const elements = tasks.map(task => {
      const json = JSON.stringify(task);
      const old = drawn.get(task.taskId);
      const element = old && old.json === json ? old.element : taskElement(task, old && isOpen(old.element));
      next.set(task.taskId, {json, element});
      return element;
    });
    drawn = next;
    list.replaceChildren(...(elements.length ? elements : [h('p', 'empty', 'No tasks match.')]));
    $('summary').textContent = tasks.length + ' of ' + page.total + ' task' + (page.total === 1 ? '' : 's')
        + ', newest first · updated ' + new Date().toLocaleTimeString();
    $('more').hidden = page.total <= tasks.length;
  }

  function isOpen(element) {
    const failures = element.querySelector('details.failures');
    return failures !== null && failures.open;
  }

  function taskElement(task, failuresOpen) {
    const article = h('article', 'task');
    article.dataset.taskId = task.taskId;
    article.dataset.state = task.state;
    const state = h('span', 'state', task.state);
    const title = h('h2', null, state, ' ', h('code', 'task-id', task.taskId));
    const method = Object.hasOwn(METHODS, task.method) ? METHODS[task.method] : '';
    const route = h('p', 'route', h('span', 'source', task.source), ' → ', h('span', 'destination', task.destination),
        ' ', h('span', 'method', method), ' · priority ' + task.priority + ' · attempts ' + task.attempts);
    article.append(title, route, progress(task), counts(task), what(task), ids(task));
    if (task.reason) {
      article.append(h('p', 'reason', task.reason));
    }
    if (task.failures && task.failures.length) {
      article.append(failures(task, failuresOpen));
    }
    article.append(times(task));
    if (!FINAL.has(task.state)) {
      const cancel = h('button', 'cancel', 'Cancel');
      cancel.type = 'button';
      cancel.addEventListener('click', () => cancelTask(task.taskId, cancel));
      article.append(h('p', 'actions', cancel));
    }
    return article;
  }

  // Done is completed + failed + warning, of done + remaining; while remaining is not known the bar is indeterminate.
  function progress(task) {
    const done = task.completed + task.failed + task.warning;
    const bar = document.createElement('progress');
    const wrap = h('div', 'progress', bar);
    let text;
    if (task.remaining == null && !FINAL.has(task.state)) {
      bar.removeAttribute('value');
      text = task.state === 'SCHEDULED' && done === 0 ? 'not started' : done + ' done, total not known yet';
    } else {
      const total = done + (task.remaining || 0);
      const percent = total === 0 ? 0 : Math.floor(100 * done / total);
      bar.max = Math.max(total, 1);
      bar.value = done;
      wrap.dataset.percent = String(percent);
      text = done + ' of ' + total + ' (' + percent + ' %)';
    }
    bar.setAttribute('aria-label', 'progress of ' + task.taskId);
    wrap.append(' ', h('span', 'progress-text', text));
    return wrap;
  }

  function counts(task) {
    const entries = [['completed', task.completed], ['failed', task.failed], ['warning', task.warning],
      ['remaining', task.remaining == null ? '?' : task.remaining]];
    return h('dl', 'counts', ...entries.flatMap(([name, value]) =>
      [h('dt', null, name), h('dd', 'count-' + name, String(value))]));
  }

  function what(task) {
    const retrieve = task.retrieve || {};
    if (retrieve.patientId) {
      return h('p', 'what', 'the studies of PatientID ', h('code', null, retrieve.patientId));
    }
    if (retrieve.accessionNumber) {
      return h('p', 'what', 'the studies of AccessionNumber ', h('code', null, retrieve.accessionNumber));
    }
    const studies = (retrieve.studies || []).map(study => h('li', null,
        'study ', h('code', null, study.studyInstanceUid),
        study.seriesInstanceUid ? h('span', null, ' series ', h('code', null, study.seriesInstanceUid)) : null,
        study.sopInstanceUids ? ' (' + study.sopInstanceUids.length + ' instances)' : null));
    return h('ul', 'what', ...studies);
  }

  function ids(task) {
    const parts = [];
    if (task.batchId) {
      const batch = h('button', 'batch', task.batchId);
      batch.type = 'button';
      batch.title = 'show only this batch';
      batch.addEventListener('click', () => {
        $('batchId').value = task.batchId;
        apply();
      });
      parts.push('batch ', batch);
    }
    if (task.correlationId) {
      parts.push(parts.length ? ' · ' : '', 'correlation ', h('code', null, task.correlationId));
    }
    return h('p', 'ids', ...parts);
  }

  function failures(task, open) {
    const more = task.failed > task.failures.length ? ' (the first ' + task.failures.length + ' listed)' : '';
    const details = h('details', 'failures', h('summary', null, task.failed + ' failed instance'
        + (task.failed === 1 ? '' : 's') + more),
        h('ol', null, ...task.failures.map(failure =>
          h('li', null, h('code', null, failure.sopInstanceUid), ': ', h('span', 'failure-reason', failure.reason)))));
    details.open = open === true;
    return details;
  }

  function times(task) {
    const entries = [['created', task.createdAt], ['scheduled', task.scheduledAt], ['started', task.startedAt],
      ['ended', task.endedAt], ['updated', task.updatedAt]].filter(([, iso]) => iso);
    return h('p', 'times', ...entries.flatMap(([name, iso], i) => {
      const time = h('time', null, new Date(iso).toLocaleString());
      time.dateTime = iso;
      time.title = iso;
      return [i ? ' · ' : '', name + ' ', time];
    }));
  }

  async function cancelTask(taskId, button) {
    button.disabled = true;
    try {
      const response = await fetch(API + '/' + encodeURIComponent(taskId) + '/cancel', {
        method: 'POST', headers: {Accept: 'application/json'}});
      showError(response.ok ? null : 'Could not cancel ' + taskId + ': ' + await reasonOf(response));
    } catch (e) {
      showError('Could not cancel ' + taskId + ': ' + e.message);
    }
    refresh();
  }

  function apply() {
    limit = PAGE;
    const params = filters();
    history.replaceState(null, '', params.size ? '?' + params : location.pathname);
    refresh();
  }

  const initial = new URLSearchParams(location.search);
  for (const field of FIELDS) {
    $(field).value = initial.get(field) || '';
  }
  $('filters').addEventListener('submit', event => {
    event.preventDefault();
    apply();
  });
  $('state').addEventListener('change', apply);
  $('clear').addEventListener('click', () => {
    FIELDS.forEach(field => { $(field).value = ''; });
    apply();
  });
  $('more').addEventListener('click', () => {
    limit += PAGE;
    refresh();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      clearTimeout(timer);
      timer = null;
    } else {
      refresh();
    }
  });
  $('api').href = API.href;
  refresh();
})();
