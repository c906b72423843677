import { NavLink } from "@remix-run/react";
import { pick } from "~/i18n";
import { assessmentUi } from "~/i18n/assessment";
import { formatLocalDate } from "~/utils/time";

const t = pick(assessmentUi);

export interface HeaderProps {
  id: number;
  schoolName: string;
  schoolCode: string;
  schoolYear: string;
  status: string;
  statusLabel: string;
  next: string;
  deadline: string;
  extended: boolean;
  editionId: string;
  canSubmit: boolean;
  schoolView?: boolean;
  showExternal?: boolean;
}

export function AssessmentHeader(h: HeaderProps) {
  return (
    <header className="assessment-header">
      <h1>{t.title(h.schoolYear)}</h1>
      <p className="assessment-header__meta">
        <span>
          {t.school}: <strong>{h.schoolName}</strong> ({h.schoolCode})
        </span>
        <span>
          {t.status}: <strong data-testid="assessment-status" data-status={h.status}>{h.statusLabel}</strong>
        </span>
        <span>
          {t.deadline}: <strong>{formatLocalDate(h.deadline)}</strong> {h.extended ? t.extended : ""}
        </span>
        <span className="muted">
          {t.edition}: {h.editionId}
        </span>
      </p>
      <p className="muted">
        {t.whatNext}: {h.next}
      </p>
      <nav aria-label={t.listTitle} className="tabs">
        <NavLink end to={`/danh-gia/${h.id}`}>
          {t.nav.form}
        </NavLink>
        {h.schoolView === false ? <NavLink to={`/danh-gia/${h.id}/kiem-tra`}>{t.nav.check}</NavLink> : <NavLink to={`/danh-gia/${h.id}/nop`}>{t.nav.submit}</NavLink>}
        {h.schoolView !== false ? <NavLink to={`/danh-gia/${h.id}/yeu-cau`}>{t.nav.requests}</NavLink> : null}
        {h.showExternal ? <NavLink to={`/danh-gia/${h.id}/danh-gia-ngoai`}>{t.nav.external}</NavLink> : null}
        <NavLink to={`/danh-gia/${h.id}/bao-cao`}>{t.nav.report}</NavLink>
        <NavLink to={`/danh-gia/${h.id}/minh-chung`}>{t.nav.evidence}</NavLink>
        <NavLink to={`/danh-gia/${h.id}/ke-hoach`}>{t.nav.plan}</NavLink>
        <NavLink to={`/danh-gia/${h.id}/nhat-ky`}>{t.nav.log}</NavLink>
      </nav>
    </header>
  );
}
