// A product's pictures as its seller manages them: upload (with words for people who cannot
// see it, and the variant it shows), change those words, make one the cover, remove one.
import { html, useState } from "preact-htm";
import { api } from "mercato/lib/api.js";
import { Action, Empty, Field, Picture, ProblemBox } from "mercato/lib/ui.js";

const ACCEPT = "image/jpeg,image/png,image/webp,image/gif";
const MAX_MB = 10;

function VariantChoice({ label, product, value, onChange }) {
  return html`<${Field} as="select" label=${label} value=${value || ""}
    onChange=${(e) => onChange(e.currentTarget.value || null)}>
    <option value="">The whole product</option>
    ${product.variants.map((v) => html`<option value=${v.id}>${v.title || v.sku}</option>`)}
  </${Field}>`;
}

function Upload({ product, onDone }) {
  const [file, setFile] = useState(null);
  const [alt, setAlt] = useState("");
  const [variant, setVariant] = useState(null);
  const [problem, setProblem] = useState(null);
  const [key, setKey] = useState(0); // a new file input once uploaded
  const send = async () => {
    setProblem(null);
    const body = new FormData();
    body.append("file", file);
    if (alt.trim()) body.append("alt", alt.trim());
    if (variant) body.append("variant_id", variant);
    try {
      await api("POST", `/v1/products/${product.id}/pictures`, { body });
      setFile(null);
      setAlt("");
      setVariant(null);
      setKey(key + 1);
      await onDone("Picture added.");
    } catch (e) {
      setProblem(e);
    }
  };
  const tooBig = file && file.size > MAX_MB * 1024 * 1024;
  return html`<fieldset class="panel"><legend>Add a picture</legend>
    <p class="muted">JPEG, PNG, WebP or GIF, up to ${MAX_MB} MB. It is kept upright, in two sizes, without its location data.</p>
    <div class="field"><label for="picture-file">Picture file</label>
      <input id="picture-file" key=${key} type="file" accept=${ACCEPT}
        onChange=${(e) => { setFile(e.currentTarget.files[0] || null); setProblem(null); }} /></div>
    ${tooBig && html`<p class="field-error" role="alert">This file is over ${MAX_MB} MB: choose a smaller one.</p>`}
    <${Field} label="What it shows (for people who cannot see it)" value=${alt}
      hint="Empty: the product's name" onInput=${(e) => setAlt(e.currentTarget.value)} />
    ${product.variants.length > 1 &&
    html`<${VariantChoice} label="It shows" product=${product} value=${variant} onChange=${setVariant} />`}
    <${ProblemBox} problem=${problem} />
    <${Action} onClick=${send} disabled=${!file || tooBig} busyLabel="Uploading…">Upload</${Action}>
  </fieldset>`;
}

function Row({ product, picture, index, onDone, onProblem }) {
  const [alt, setAlt] = useState(picture.alt);
  const base = `/v1/products/${product.id}/pictures/${picture.id}`;
  const act = (label, fn) => async () => {
    onProblem(null);
    try {
      await fn();
      await onDone(label);
    } catch (e) {
      onProblem(e);
    }
  };
  const n = `picture ${index + 1}`;
  return html`<li class="picture-row">
    <${Picture} name=${product.name} picture=${picture} size="s" decorative />
    <div class="grow">
      <div class="inline-form">
        <${Field} label=${`Words for ${n}`} value=${alt} onInput=${(e) => setAlt(e.currentTarget.value)} />
        <${Action} kind="secondary" disabled=${alt === picture.alt} aria-label=${`Save the words for ${n}`}
          onClick=${act("Words saved.", () => api("PATCH", base, { body: { alt } }))}>Save</${Action}>
      </div>
      ${product.variants.length > 1 &&
      html`<${VariantChoice} label=${`Variant ${n} shows`} product=${product} value=${picture.variant_id}
        onChange=${(v) => act("Saved.", () => api("PATCH", base, { body: { variant_id: v } }))()} />`}
      <div class="inline-form">
        ${index > 0 && html`<${Action} kind="secondary" aria-label=${`Make ${n} the cover`}
          onClick=${act("Cover changed.", () => api("PATCH", base, { body: { position: 0 } }))}>Make cover</${Action}>`}
        ${index === 0 && html`<span class="muted">The cover</span>`}
        <${Action} kind="danger" aria-label=${`Remove ${n}`}
          onClick=${act("Picture removed.", () => api("DELETE", base))}>Remove</${Action}>
      </div>
    </div>
  </li>`;
}

/** The pictures panel of a product's admin page; `onChanged(label)` reloads the product. */
export function Pictures({ product, onChanged }) {
  const [problem, setProblem] = useState(null);
  const pictures = product.pictures || [];
  return html`<section aria-labelledby="pictures-heading"><h2 id="pictures-heading">Pictures</h2>
    <${ProblemBox} problem=${problem} />
    ${pictures.length === 0
      ? html`<${Empty} title="No pictures yet">Shoppers see a tile made from the product's name.</${Empty}>`
      : html`<ul class="picture-rows">${pictures.map((p, i) => html`<${Row} key=${p.id + p.alt}
          product=${product} picture=${p} index=${i} onDone=${onChanged} onProblem=${setProblem} />`)}</ul>`}
    ${pictures.length < 20 && html`<${Upload} product=${product} onDone=${onChanged} />`}
  </section>`;
}
