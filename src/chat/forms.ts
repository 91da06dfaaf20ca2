import { z } from 'zod';
import { field } from './define';

/**
 * The form shared by 投诉, 举报, 建议 and 表扬 (regulation chapter 3, 二.1): customer, object, cause, demand and
 * preferred revisit method. A complaint needs a phone to answer it; a report may be anonymous.
 */
export function feedbackForm(phone: 'required' | 'optional') {
  return z.object({
    subject: field.text('对象', ['投诉对象', '举报对象', '表扬对象']),
    cause: field.rest('事由', ['内容', '情况', '原因']),
    demand: field.keyed('要求', ['诉求']).optional(),
    revisitMethod: field.keyed('回访方式', ['回访']).optional(),
    category: field.keyed('类别', ['分类', '类型']).optional(),
    reporter: field.name('客户').optional(),
    phone: phone === 'required' ? field.phone() : field.phone().optional(),
  });
}

/** A ticket number and what the person says about the step (reason, result). */
export function stepForm(label: string, keys: readonly string[] = []) {
  return z.object({ no: field.ticketNo(), text: field.rest(label, keys) });
}

export const ticketOnly = z.object({ no: field.ticketNo() });
