import type { Band, Edition, Item, Provenance } from "~/domain/catalogue";
import { formatPoints, toHundredths } from "~/domain/scoring";
import { pick } from "~/i18n";
import { catalogueUi } from "~/i18n/catalogue";

const t = pick(catalogueUi);
const pts = (x: number) => formatPoints(toHundredths(x));

function bandRange(b: Band): string {
  const lo = `${pts(b.min)} ${b.minInclusive ? "≤" : "<"}`;
  const hi = `${b.maxInclusive ? "≤" : "<"} ${pts(b.max)}`;
  return `${lo} x ${hi}`;
}

export function ProvenanceBadge({ p, suffix }: { p: Provenance; suffix?: string }) {
  return (
    <span className={`badge badge--${p.toLowerCase()}`} title={t.provenanceLegend[p]}>
      {p}
      {suffix ? ` (${suffix})` : ""}
      <span className="visually-hidden"> — {t.provenanceBadge[p]}</span>
    </span>
  );
}

function isUnverified(item: Item): boolean {
  return item.provenance !== "V" || (item.pointsProvenance ?? "V") !== "V" || (item.ruleProvenance ?? "V") !== "V";
}

function RuleText({ item }: { item: Item }) {
  switch (item.rule) {
    case "mandatory":
      return <>{t.rules.mandatory}</>;
    case "boolean":
      return <>{t.rules.boolean(pts(item.max))}</>;
    case "ratio":
      return <>{t.rules.ratio(pts(item.max), item.numeratorLabel, item.denominatorLabel)}</>;
    case "choice":
      return (
        <>
          {t.rules.choice}
          <ul>
            {item.options.map((o) => (
              <li key={o.id}>
                {t.optionPoints(o.label, pts(o.points))}
              </li>
            ))}
          </ul>
          {item.suggest ? <span className="muted">{t.suggestion}.</span> : null}
        </>
      );
  }
}

export function ProvenanceLegend() {
  return (
    <section className="card" aria-labelledby="prov-legend">
      <h2 id="prov-legend">{t.provenanceLegendTitle}</h2>
      <ul>
        {(["V", "F", "A"] as const).map((p) => (
          <li key={p}>
            <ProvenanceBadge p={p} /> {t.provenanceLegend[p].replace(/^. — /, "")}
          </li>
        ))}
      </ul>
      <p className="alert alert--warn">{t.unverifiedNote}</p>
    </section>
  );
}

/** The whole edition: levels, rollup rules, groups, indicators and items with points, rules, evidence and provenance. */
export function CatalogueView({ edition }: { edition: Edition }) {
  const mu = edition.rollup.mandatoryUnmet;
  return (
    <div className="catalogue">
      <section className="card" aria-labelledby="levels">
        <h2 id="levels">{t.levelsTitle}</h2>
        <ul>
          {edition.groupLevels.map((b) => (
            <li key={b.level}>
              <strong>{t.bandLabel(b.level, b.name)}</strong>: {bandRange(b)}
            </li>
          ))}
        </ul>
        <h3>{t.rollupTitle}</h3>
        <ul>
          <li>{t.rollupMin}</li>
          <li>{mu.effect === "cap-group-level" ? t.rollupMandatoryGroup(mu.level) : t.rollupMandatoryInstitution(mu.level)}</li>
        </ul>
      </section>
      <ProvenanceLegend />
      {edition.groups.map((g) => (
        <section key={g.code} className="card" aria-labelledby={`group-${g.code}`}>
          <h2 id={`group-${g.code}`}>
            {t.group} {g.code}. {g.title} ({pts(g.max)} {t.points.toLowerCase()})
          </h2>
          {g.indicators.map((ind) => (
            <div key={ind.code} className="indicator" id={`chi-so-${ind.code}`}>
              <h3>
                {t.indicator} {ind.code}. {ind.title}
                {ind.max > 0 ? ` — ${pts(ind.max)} ${t.points.toLowerCase()}` : ""}
              </h3>
              {ind.bands ? (
                <p className="muted">
                  {t.bands}:{" "}
                  {ind.bands.map((b) => `${t.bandLabel(b.level, b.name)}: ${bandRange(b)}`).join("; ")}
                </p>
              ) : null}
              <div className="table-wrap">
                <table className="catalogue-table">
                  <colgroup>
                    <col className="col-item" />
                    <col className="col-rule" />
                    <col className="col-max" />
                    <col className="col-prov" />
                  </colgroup>
                  <caption className="visually-hidden">
                    {t.indicator} {ind.code}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t.item}</th>
                      <th scope="col">{t.rule}</th>
                      <th scope="col" className="num">
                        {t.maxPoints}
                      </th>
                      <th scope="col">{t.provenance}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ind.items.map((item) => (
                      <tr key={item.code} id={`tieu-chi-${item.code}`} data-unverified={isUnverified(item) ? "true" : undefined}>
                        <td data-label={t.item}>
                          <strong>{item.code}</strong> {item.text}
                          {item.evidence.length ? (
                            <div className="muted">
                              {t.evidence}: {item.evidence.join("; ")}
                            </div>
                          ) : null}
                        </td>
                        <td data-label={t.rule}>
                          <RuleText item={item} />
                        </td>
                        <td className="num" data-label={t.maxPoints}>{item.rule === "mandatory" ? "–" : pts(item.max)}</td>
                        <td data-label={t.provenance}>
                          <ProvenanceBadge p={item.provenance} />{" "}
                          {item.pointsProvenance && item.pointsProvenance !== item.provenance ? <ProvenanceBadge p={item.pointsProvenance} suffix={t.pointsProv} /> : null}{" "}
                          {item.ruleProvenance && item.ruleProvenance !== item.provenance ? <ProvenanceBadge p={item.ruleProvenance} suffix={t.ruleProv} /> : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {ind.info?.map((info) => (
                <div key={info.key} className="alert">
                  <strong>
                    {t.infoBlock}: {info.title}
                  </strong>{" "}
                  <ProvenanceBadge p={info.provenance} />
                  <ul>
                    {info.fields.map((f) => (
                      <li key={f.id}>
                        {f.label}
                        {f.type === "choice" ? `: ${f.options.map((o) => o.label).join(" / ")}` : ""}
                      </li>
                    ))}
                  </ul>
                  {info.requiredWhen ? <span>{t.infoRequired(info.requiredWhen.anyMet.join(", "))}</span> : null}
                </div>
              ))}
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}
