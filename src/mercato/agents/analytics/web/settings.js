// The store's reporting settings (/admin/analytics/settings, admins): the time zone its days
// are counted in. Changing it dates every report's days again, past ones too.
import { html, useEffect, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { Action, Field, Loading, Page, ProblemBox, useLoad } from "mercato/lib/ui.js";
import { Tabs, refused, todayIn, zoneChanged } from "./parts.js";

const PATH = "/admin/analytics/settings";

function timeZones(current) {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    return null; // an older browser: the zone is typed
  }
  return [...new Set([current, "UTC", ...zones].filter(Boolean))].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
}

export function SettingsPage() {
  const settings = useLoad(() => api("GET", "/v1/analytics/settings"), []);
  const [chosen, setChosen] = useState("");
  const [state, setState] = useState({ problem: null, saved: "" });
  useEffect(() => {
    if (settings.data) setChosen(settings.data.time_zone);
  }, [settings.data]);
  const save = async () => {
    setState({ problem: null, saved: "" });
    try {
      const answer = await api("PUT", "/v1/analytics/settings", { body: { time_zone: chosen.trim() } });
      zoneChanged(answer.time_zone);
      setState({ problem: null, saved: `Saved: the store's days are counted in ${answer.time_zone} (today there is ${todayIn(answer.time_zone)}).` });
      settings.reload();
    } catch (problem) {
      setState({ problem, saved: "" });
    }
  };
  const zones = settings.data ? timeZones(settings.data.time_zone) : null;
  return html`<${Page} title="Analytics settings">
    <${Tabs} current=${PATH} />
    ${settings.loading && !settings.data && html`<${Loading} />`}
    ${refused(settings.problem)
      ? html`<p class="a-note">The store's reporting settings are its admins'.</p>`
      : html`<${ProblemBox} problem=${settings.problem} onRetry=${settings.reload} />`}
    ${settings.data && html`<form class="panel narrow" onSubmit=${(e) => e.preventDefault()}>
      <h2 id="a-zone-heading">The store's time zone</h2>
      <p class="muted">Every report counts days, weeks and months in this time zone: an order placed at 23:30
        in Paris is that day's in Europe/Paris but the next day's in Asia/Tokyo. Changing it dates the past
        reports' days again too.</p>
      ${zones
        ? html`<${Field} label="Time zone" as="select" value=${chosen} onChange=${(e) => setChosen(e.currentTarget.value)}>
            ${zones.map((z) => html`<option value=${z}>${z}</option>`)}
          </${Field}>`
        : html`<${Field} label="Time zone" value=${chosen} hint="An IANA name, e.g. Europe/Paris"
            onInput=${(e) => setChosen(e.currentTarget.value)} />`}
      <${Action} onClick=${save} busyLabel="Saving…" disabled=${!chosen || chosen === settings.data.time_zone}>Save</${Action}>
      <${ProblemBox} problem=${state.problem} />
      <p class="a-saved" role="status">${state.saved}</p>
    </form>`}
  </${Page}>`;
}
