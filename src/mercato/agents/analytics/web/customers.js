// Customers (/admin/analytics/customers): new and returning customers per bucket (stacked
// bars) with their revenue, and the monthly cohorts' retention as a heatmap (each cohort a
// row: the customers whose first order was that month; each column, the share of them who
// ordered again so many months later). Both cover whole orders: a merchant gets a note.
import { html, useState } from "preact-htm";
import { Empty, Loading, Page, ProblemBox } from "mercato/lib/ui.js";
import { BarChart, DataTable, Legend } from "./charts.js";
import {
  Block, Figures, RangePicker, Tabs, amount, bucketLabel, count, longDay, monthOf, pct, perBucket,
  periodParams, remember, shortCount, useCalendar, useReport,
} from "./parts.js";

const PATH = "/admin/analytics/customers";
const SERIES = [{ name: "New customers", cls: "s-new" }, { name: "Returning customers", cls: "s-returning" }];

function CustomersBlock({ range }) {
  const params = periodParams(range);
  const load = useReport("customers", params);
  return html`<${Block} title="New and returning customers" id="a-customers" report="customers" params=${params} load=${load}
    what="The customers report" render=${(r) => html`<${Customers} report=${r} />`} />`;
}

function Customers({ report: r }) {
  const t = r.totals;
  const c = r.currency;
  if (t.customers === 0) return html`<${Empty} title="No customer ordered in this period." />`;
  const summary = `Customers ${perBucket(r.granularity)} from ${longDay(r.from)} to ${longDay(r.to)}: ${count(t.customers)} in all, ${count(t.new_customers)} new and ${count(t.returning_customers)} returning.`;
  return html`<${Figures} label="The period's customers" items=${[
      ["Customers", count(t.customers)],
      ["New", count(t.new_customers), amount(t.new_customer_revenue, c)],
      ["Returning", count(t.returning_customers), amount(t.returning_customer_revenue, c)],
      ["Orders", count(t.orders)],
    ]} />
    <${BarChart} summary=${summary} series=${SERIES} axis=${{ format: shortCount, integer: true }}
      rows=${r.rows.map((row) => ({
        label: bucketLabel(row.bucket, r.granularity),
        title: `${bucketLabel(row.bucket, r.granularity)}: ${count(row.new_customers)} new, ${count(row.returning_customers)} returning`,
        values: [row.new_customers, row.returning_customers],
      }))} />
    <${Legend} series=${SERIES} />
    <${DataTable} caption=${summary} columns=${[
      { label: "Bucket" }, { label: "New", num: true }, { label: "Returning", num: true },
      { label: "New customers' revenue", num: true }, { label: "Returning customers' revenue", num: true },
    ]} rows=${r.rows.map((row) => [
      bucketLabel(row.bucket, r.granularity), count(row.new_customers), count(row.returning_customers),
      amount(row.new_customer_revenue, c), amount(row.returning_customer_revenue, c),
    ])} />`;
}

const SPANS = [6, 12, 24];

/** The first day of the month `months - 1` months before the month of `iso`. */
function monthsBefore(iso, months) {
  const [y, m] = iso.split("-").map(Number);
  const index = y * 12 + (m - 1) - (months - 1);
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}

function CohortsBlock({ range, query }) {
  const [months, setMonths] = useState(() => (SPANS.includes(Number(query.get("months"))) ? Number(query.get("months")) : 12));
  const params = { from: monthsBefore(range.to, months), to: range.to };
  const load = useReport("cohorts", params);
  const choose = (value) => {
    setMonths(Number(value));
    remember(PATH, { months: value === "12" ? "" : value });
  };
  const select = html`<label class="a-inline-field"><span>Cohorts of</span>
    <select value=${String(months)} onChange=${(e) => choose(e.currentTarget.value)} aria-label="Cohorts of the last months">
      ${SPANS.map((n) => html`<option value=${String(n)}>the last ${n} months</option>`)}
    </select></label>`;
  return html`<${Block} title="Retention by monthly cohort" id="a-cohorts" report="cohorts" params=${params} load=${load}
    tools=${select} what="The cohorts report" render=${(r) => html`<${Cohorts} report=${r} />`} />`;
}

/** A cell's shade: the deeper, the more of the cohort came back. */
function shade(share) {
  if (share === null || share === undefined) return "";
  const light = Math.round(97 - share * 62);
  return `background:hsl(210 70% ${light}%);color:${light < 58 ? "#fff" : "var(--ink)"}`;
}

function Cohorts({ report: r }) {
  const t = r.totals;
  if (r.rows.length === 0) return html`<${Empty} title="No first orders in these months." />`;
  const cohorts = new Map();
  for (const row of r.rows) {
    if (!cohorts.has(row.cohort)) cohorts.set(row.cohort, { size: row.size, cells: [] });
    cohorts.get(row.cohort).cells[row.months_since] = row;
  }
  const width = Math.max(...[...cohorts.values()].map((c) => c.cells.length));
  const columns = Array.from({ length: width }, (_, i) => i);
  return html`<${Figures} label="The cohorts" items=${[
      ["Cohorts", count(t.cohorts)],
      ["First-time customers", count(t.customers)],
      ["Came back", count(t.returned)],
      ["Repeat rate", pct(t.repeat_rate)],
    ]} />
    <div class="table-wrap a-heat-wrap" tabindex="0" role="region" aria-label="Retention by monthly cohort, as a table"><table class="a-heat">
      <caption class="visually-hidden">Share of each monthly cohort that ordered again, by months after its first order</caption>
      <thead>
        <tr><th scope="col" rowspan="2">Cohort</th><th scope="col" rowspan="2" class="num">Customers</th>
          <th scope="colgroup" colspan=${width} class="a-heat-span">Months after the first order</th></tr>
        <tr>${columns.map((m) => html`<th scope="col" class="num">${m}</th>`)}</tr>
      </thead>
      <tbody>${[...cohorts.entries()].map(([cohort, c]) => html`<tr>
        <th scope="row">${monthOf(cohort)}</th>
        <td class="num">${count(c.size)}</td>
        ${columns.map((m) => {
          const cell = c.cells[m];
          if (!cell) return html`<td class="a-heat-none"><span class="visually-hidden">not yet</span></td>`;
          return html`<td class="num a-heat-cell" style=${shade(cell.retention)} title=${`${count(cell.customers)} of ${count(c.size)}`}>${pct(cell.retention, 0)}</td>`;
        })}
      </tr>`)}</tbody>
    </table></div>
    <p class="a-scale muted"><span>0 %</span><span class="a-scale-bar" aria-hidden="true"></span><span>100 % of the cohort ordered that month</span></p>`;
}

export function CustomersPage({ query }) {
  const calendar = useCalendar(query);
  const range = calendar.range;
  return html`<${Page} title="Customers" wide>
    <${Tabs} current=${PATH} query=${query} />
    ${!range && calendar.loading && html`<${Loading} />`}
    <${ProblemBox} problem=${calendar.problem} onRetry=${calendar.reload} />
    ${range && html`<${RangePicker} range=${range} path=${PATH} query=${query} />
      <div class="a-stack">
        <${CustomersBlock} range=${range} />
        <${CohortsBlock} range=${range} query=${query} />
      </div>`}
  </${Page}>`;
}
