// What reaches a signed-in user, and how: each kind of notification by each channel (a
// switch saved as it is flipped; email about orders and the account always goes), the phone
// for SMS, the time zone and quiet hours (SMS and push wait until they end), the language,
// and the devices push goes to.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { signedIn } from "mercato/lib/credentials.js";
import { day } from "mercato/lib/format.js";
import { Link } from "mercato/lib/router.js";
import { Action, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { CHANNELS, channelLabel, kindLabel } from "./parts.js";

const LOCKED_NOTE = "always sent: about your orders and account";
const LANGUAGES = [["", "The store's language"], ["en", "English"], ["es", "Español"]];

function timeZones(current) {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    return null; // an older browser: the zone is typed
  }
  return [...new Set([current, "UTC", ...zones].filter(Boolean))].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
}

function Matrix({ choices, onChange }) {
  const kinds = [...new Set(choices.map((c) => c.kind))];
  const used = CHANNELS.filter((ch) => choices.some((c) => c.channel === ch));
  const cell = (kind, channel) => choices.find((c) => c.kind === kind && c.channel === channel);
  return html`<div class="table-wrap"><table class="matrix">
    <caption class="visually-hidden">Notifications by kind and channel</caption>
    <thead><tr><th scope="col">About</th>${used.map((ch) => html`<th scope="col" class="center">${channelLabel(ch)}</th>`)}</tr></thead>
    <tbody>${kinds.map((kind) => html`<tr>
      <th scope="row">${kindLabel(kind)}</th>
      ${used.map((channel) => {
        const c = cell(kind, channel);
        if (!c) return html`<td class="center muted"><span aria-hidden="true">—</span><span class="visually-hidden">not sent by ${channelLabel(channel)}</span></td>`;
        const label = `${kindLabel(kind)} by ${channelLabel(channel)}`;
        return html`<td class="center" title=${c.locked ? LOCKED_NOTE : undefined}>
          <input type="checkbox" class="toggle" aria-label=${label} checked=${c.enabled} disabled=${c.locked}
            aria-describedby=${c.locked ? "locked-note" : undefined}
            onChange=${(e) => onChange(c, e.currentTarget.checked, e.currentTarget)} />
          ${c.locked && html`<span class="locked" aria-hidden="true">always</span>`}
        </td>`;
      })}
    </tr>`)}</tbody>
  </table></div>
  <p class="hint" id="locked-note">Email marked “always” is ${LOCKED_NOTE}.</p>`;
}

/** An `invalid_profile` problem names its field first (`phone: …`): shown under that field
 * (the box above the button then says only what went wrong, not the same words again). */
function fieldErrors(problem) {
  if (!problem) return { errors: {}, shown: null };
  const errors = problem.fields ? problem.fields() : {};
  const named = /^(phone|time_zone|quiet_start|quiet_end|locale): (.*)$/.exec(problem.detail || "");
  if (named) errors[named[1]] = named[2];
  return { errors, shown: named ? { title: problem.title } : problem };
}

function ProfileForm({ profile, onSaved }) {
  const [form, setForm] = useState({
    phone: profile.phone || "",
    time_zone: profile.time_zone || "",
    quiet: Boolean(profile.quiet_start && profile.quiet_end),
    quiet_start: profile.quiet_start || "21:00",
    quiet_end: profile.quiet_end || "08:00",
    locale: profile.locale || "",
  });
  const [problem, setProblem] = useState(null);
  const [saved, setSaved] = useState(false);
  const set = (name) => (e) => {
    setSaved(false);
    setForm({ ...form, [name]: e.currentTarget.type === "checkbox" ? e.currentTarget.checked : e.currentTarget.value });
  };
  const save = async () => {
    setProblem(null);
    setSaved(false);
    try {
      const body = {
        phone: form.phone.trim() || null,
        time_zone: form.time_zone.trim() || null,
        quiet_start: form.quiet ? form.quiet_start : null,
        quiet_end: form.quiet ? form.quiet_end : null,
        locale: form.locale || null,
      };
      onSaved(await api("PATCH", "/v1/me/notifications/profile", { body }));
      setSaved(true);
    } catch (p) {
      setProblem(p);
    }
  };
  const { errors, shown } = fieldErrors(problem);
  const zones = timeZones(form.time_zone);
  return html`<section class="panel" aria-labelledby="profile-heading"><h2 id="profile-heading">How to reach you</h2>
    <div class="fields">
      <${Field} label="Mobile phone (for SMS)" type="tel" autocomplete="tel" placeholder="+14155550123" value=${form.phone}
        onInput=${set("phone")} error=${errors.phone} hint="International format, starting with +" />
      ${zones
        ? html`<${Field} label="Time zone" as="select" value=${form.time_zone} onChange=${set("time_zone")} error=${errors.time_zone}>
            ${zones.map((z) => html`<option value=${z}>${z.replaceAll("_", " ")}</option>`)}</${Field}>`
        : html`<${Field} label="Time zone" value=${form.time_zone} onInput=${set("time_zone")} error=${errors.time_zone} hint="e.g. Europe/Lisbon" />`}
      <${Field} label="Language" as="select" value=${form.locale} onChange=${set("locale")} error=${errors.locale}>
        ${[...LANGUAGES, ...(LANGUAGES.some(([v]) => v === form.locale) ? [] : [[form.locale, form.locale]])].map(
          ([v, label]) => html`<option value=${v}>${label}</option>`)}
      </${Field}>
    </div>
    <fieldset class="plain"><legend><b>Quiet hours</b></legend>
      <label class="check"><input type="checkbox" checked=${form.quiet} onChange=${set("quiet")} />
        Hold SMS and push at night (email and the inbox are not held)</label>
      ${form.quiet && html`<div class="fields quiet">
        <${Field} label="From" type="time" value=${form.quiet_start} onInput=${set("quiet_start")} error=${errors.quiet_start} />
        <${Field} label="Until" type="time" value=${form.quiet_end} onInput=${set("quiet_end")} error=${errors.quiet_end} />
      </div>`}
    </fieldset>
    <${ProblemBox} problem=${shown} />
    ${saved && html`<p class="notice" role="status">Saved.</p>`}
    <${Action} onClick=${save}>Save</${Action}>
  </section>`;
}

function Devices({ devices, onRemoved }) {
  const [problem, setProblem] = useState(null);
  if (devices.length === 0) return null;
  const remove = (device) => async () => {
    setProblem(null);
    try {
      await api("DELETE", `/v1/me/notifications/devices/${encodeURIComponent(device.id)}`);
      onRemoved(device.id);
    } catch (p) {
      setProblem(p);
    }
  };
  return html`<section class="panel" aria-labelledby="devices-heading"><h2 id="devices-heading">Devices that get push</h2>
    <ul class="notes">${devices.map((d) => html`<li class="inline-form">
      <span class="grow">${d.label || d.platform} <span class="muted">· ${d.platform} · since ${day(d.created_at)}</span></span>
      <${Action} kind="danger" aria-label=${`Stop push to ${d.label || d.platform}`} onClick=${remove(d)}>Remove</${Action}>
    </li>`)}</ul>
    <${ProblemBox} problem=${problem} />
  </section>`;
}

export function SettingsPage() {
  if (!signedIn()) {
    return html`<${Page} title="Notification settings"><div class="panel"><p>Sign in to choose what we send you.</p>
      <${Link} to="/account/sign-in?next=%2Faccount%2Fnotifications%2Fsettings" class="button primary" style="text-decoration:none;display:inline-block">Sign in</${Link}></div></${Page}>`;
  }
  return html`<${Settings} />`;
}

function Settings() {
  const loaded = useLoad(() => api("GET", "/v1/me/notifications/preferences"), []);
  const [prefs, setPrefs] = useState(null);
  const [problem, setProblem] = useState(null);
  const [saved, setSaved] = useState(null);
  const current = prefs || loaded.data;
  const title = "Notification settings";
  if (loaded.loading && !current) return html`<${Page} title=${title}><${Loading} /></${Page}>`;
  if (loaded.problem && !current) return html`<${Page} title=${title}><${ProblemBox} problem=${loaded.problem} onRetry=${loaded.reload} /></${Page}>`;

  const flip = async (choice, enabled, box) => {
    setProblem(null);
    setSaved(null);
    const before = current;
    setPrefs({ ...current, choices: current.choices.map((c) => (c === choice ? { ...c, enabled } : c)) });
    try {
      const answer = await api("PUT", "/v1/me/notifications/preferences", { body: { choices: [{ kind: choice.kind, channel: choice.channel, enabled }] } });
      setPrefs(answer);
      setSaved(`${kindLabel(choice.kind)} by ${channelLabel(choice.channel)}: ${enabled ? "on" : "off"}.`);
    } catch (p) {
      setPrefs(before);
      box.checked = !enabled;
      setProblem(p);
    }
  };
  return html`<${Page} title=${title} actions=${html`<${Link} to="/account/notifications">Your notifications</${Link}>`}>
    <section class="panel" aria-labelledby="choices-heading"><h2 id="choices-heading">What we send you</h2>
      <p class="muted">Each switch is saved as you flip it.</p>
      <${Matrix} choices=${current.choices} onChange=${flip} />
      <${ProblemBox} problem=${problem} />
      <p class="saved-line" role="status">${saved || ""}</p>
    </section>
    <${ProfileForm} profile=${current.profile} onSaved=${(profile) => setPrefs({ ...current, profile })} />
    <${Devices} devices=${current.devices} onRemoved=${(id) => setPrefs({ ...current, devices: current.devices.filter((d) => d.id !== id) })} />
  </${Page}>`;
}
