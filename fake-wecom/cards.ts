/**
 * Template cards as people see them: a readable rendering for transcripts, and the keys a person can tap.
 */
import type { TemplateCard } from './schemas';

/** One line per visible part, buttons last as `[text]`, so tests can assert on what a desk member reads. */
export function renderCard(card: TemplateCard): string {
  const lines: string[] = [];
  const push = (s: string | undefined) => {
    if (s) lines.push(s);
  };
  push(card.source?.desc);
  push(card.main_title?.title);
  push(card.main_title?.desc);
  if (card.emphasis_content) push([card.emphasis_content.title, card.emphasis_content.desc].filter(Boolean).join(' '));
  if (card.quote_area) push([card.quote_area.title, card.quote_area.quote_text].filter(Boolean).join(' '));
  push(card.sub_title_text);
  for (const h of card.horizontal_content_list ?? []) push(`${h.keyname}: ${h.value ?? ''}`);
  for (const v of card.vertical_content_list ?? []) push([v.title, v.desc].filter(Boolean).join(' '));
  if (card.button_selection) push(renderSelection(card.button_selection));
  for (const s of card.select_list ?? []) push(renderSelection(s));
  if (card.checkbox) push(card.checkbox.option_list.map((o) => `(${o.is_checked ? 'x' : ' '}) ${o.text}`).join(' '));
  for (const j of card.jump_list ?? []) push(`→ ${j.title}`);
  const buttons = (card.button_list ?? []).map((b) => `[${b.text}]`);
  if (card.submit_button) buttons.push(`[${card.submit_button.text}]`);
  push(buttons.join(' '));
  return lines.join('\n');
}

function renderSelection(s: { title?: string; selected_id?: string; option_list: { id: string; text: string }[] }): string {
  const chosen = s.option_list.find((o) => o.id === s.selected_id) ?? s.option_list[0];
  return `${s.title ?? ''} ▾${chosen?.text ?? ''}`.trim();
}

/** Keys whose tap produces a template_card_event: buttons, the submit button and the "more" menu. */
export function tappableKeys(card: TemplateCard): string[] {
  return [
    ...(card.button_list ?? []).map((b) => b.key),
    ...(card.submit_button ? [card.submit_button.key] : []),
    ...(card.action_menu?.action_list ?? []).map((a) => a.key),
  ];
}
