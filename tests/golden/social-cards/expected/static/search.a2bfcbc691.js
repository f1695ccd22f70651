// The search page of the default theme: searches the stories with Pagefind's bundle, which the build
// writes when search is on. Every language indexed is searched (a bilingual site has one index per
// language); `?q=`, `tag=` and `source=` in the URL fill the form, and the form keeps them there.

const PAGE_SIZE = 10;

const root = document.querySelector("[data-search]");
const form = root.querySelector("form");
const input = form.querySelector("input[name=q]");
const status = root.querySelector(".search-status");
const list = root.querySelector(".search-results");
const moreRow = root.querySelector(".search-more-row");
const selects = [...form.querySelectorAll("select[data-filter]")];
const lang = document.documentElement.lang;
const plural = new Intl.PluralRules(lang);

const absolute = (path) => new URL(path, document.baseURI);
const say = (text) => { status.textContent = text; };
const fill = (template, name, value) => template.replace(`{${name}}`, value);

// Pagefind's excerpt is escaped text with <mark> around the matches: only that text and those marks are kept.
const excerpt = (markup) => {
  const parsed = document.createElement("template");
  parsed.innerHTML = markup;
  const paragraph = document.createElement("p");
  paragraph.className = "summary";
  for (const node of parsed.content.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      paragraph.append(mark);
    } else {
      paragraph.append(node.textContent);
    }
  }
  return paragraph;
};

const resultItem = (data) => {
  const item = document.createElement("li");
  item.className = "card search-result";
  if (data.language && data.language !== lang.toLowerCase()) item.lang = data.language;
  const heading = document.createElement("h2");
  heading.className = "card-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const meta = document.createElement("div");
  meta.className = "meta";
  for (const [key, name] of [["date", "search-date"], ["source", "via"]]) {
    if (!data.meta[key]) continue;
    const part = document.createElement("span");
    part.className = name;
    part.textContent = data.meta[key];
    meta.append(part);
  }
  item.append(heading, meta, excerpt(data.excerpt));
  return item;
};

// The language whose index Pagefind loads first, as its own pagefind.js chooses it.
const primaryLanguage = (languages) => {
  const wanted = lang.toLowerCase();
  if (languages[wanted]) return wanted;
  if (languages[wanted.split("-")[0]]) return wanted.split("-")[0];
  return Object.entries(languages).sort((a, b) => b[1].page_count - a[1].page_count)[0]?.[0];
};

const load = async () => {
  const bundle = absolute(root.dataset.bundle);
  const pagefind = await import(new URL("pagefind.js", bundle).href);
  await pagefind.options({ baseUrl: absolute(root.dataset.base).pathname, excerptLength: 24 });
  const entry = await (await fetch(new URL("pagefind-entry.json", bundle))).json();
  const primary = primaryLanguage(entry.languages);
  for (const language of Object.keys(entry.languages)) {
    // The same bundle, another language. Pagefind skips an index whose address is a prefix of its first
    // one's: "/pagefind/./" is not, and the browser reads it as "/pagefind/".
    if (language !== primary) await pagefind.mergeIndex(`${bundle.pathname}./`, { language });
  }
  await pagefind.init();
  return pagefind;
};

const showFilters = async (pagefind) => {
  const counts = await pagefind.filters();
  const wanted = new URLSearchParams(location.search);
  for (const select of selects) {
    const values = Object.keys(counts[select.dataset.filter] || {}).sort((a, b) => a.localeCompare(b, lang));
    select.replaceChildren(new Option(root.dataset.all, ""), ...values.map((value) => new Option(value, value)));
    select.value = values.includes(wanted.get(select.name)) ? wanted.get(select.name) : "";
  }
  form.querySelector(".search-filters").hidden = false;
};

let shown = [];
let searchNumber = 0;

// Show the next results of the search numbered `number`, unless a newer search came meanwhile.
const showMore = async (number = searchNumber) => {
  const batch = shown.splice(0, PAGE_SIZE);
  const items = await Promise.all(batch.map((result) => result.data()));
  if (number !== searchNumber) return;
  list.append(...items.map(resultItem));
  moreRow.hidden = shown.length === 0;
};

const search = async (pagefind) => {
  const number = ++searchNumber;
  const query = input.value.trim();
  const filters = {};
  for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
  const url = new URL(location.href);
  url.search = new URLSearchParams([["q", query], ...Object.entries(filters)]).toString();
  history.replaceState(null, "", url);
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren();
    moreRow.hidden = true;
    say("");
    return;
  }
  const found = await pagefind.search(query || null, { filters });
  if (number !== searchNumber || !found) return; // a newer search is on its way
  list.replaceChildren();
  shown = [...found.results];
  const count = shown.length;
  if (count === 0) say(fill(root.dataset.none, "query", query));
  else say(fill(root.dataset[plural.select(count) === "one" ? "resultsOne" : "resultsOther"], "count", count));
  await showMore(number);
};

const start = async () => {
  input.value = new URLSearchParams(location.search).get("q") || "";
  say(root.dataset.loading);
  let pagefind;
  try {
    pagefind = await load();
    await showFilters(pagefind);
  } catch (error) {
    say(root.dataset.failed);
    throw error;
  }
  say("");
  form.addEventListener("submit", (event) => { event.preventDefault(); search(pagefind); });
  input.addEventListener("input", () => search(pagefind));
  for (const select of selects) select.addEventListener("change", () => search(pagefind));
  moreRow.querySelector("button").addEventListener("click", () => showMore());
  await search(pagefind);
};

start();
