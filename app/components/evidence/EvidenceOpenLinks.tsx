import { pick } from "~/i18n";
import { evidence as strings } from "~/i18n/evidence";
import { downloadHref, isPreviewable, previewHref, safeHttpUrl, type EvidenceEntry } from "~/domain/evidence";

const t = pick(strings);

/** How to open one evidence entry: download and (PDF, images) preview for a file; the address for a link. */
export function EvidenceOpenLinks({ entry: e }: { entry: Pick<EvidenceEntry, "evidenceId" | "kind" | "code" | "title" | "mime" | "url"> }) {
  if (e.kind === "file") {
    return (
      <>
        <a href={downloadHref(e.evidenceId)} aria-label={t.downloadLabel(e.code, e.title)}>
          {t.download}
        </a>
        {isPreviewable(e.mime) ? (
          <a href={previewHref(e.evidenceId)} target="_blank" rel="noopener noreferrer" aria-label={t.previewLabel(e.code, e.title)}>
            {t.preview}
          </a>
        ) : null}
      </>
    );
  }
  const href = safeHttpUrl(e.url);
  return href ? (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" aria-label={t.openLinkLabel(e.code, e.title)}>
      {t.openLink}
    </a>
  ) : null;
}
