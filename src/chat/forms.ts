import { z } from 'zod';
import { field } from './define';

/** What people type for the way the customer is answered: 电话, 企业微信, 信函. */
export const ANSWER_WORDS = { 电话: 'phone', 手机: 'phone', 企业微信: 'wecom', 微信: 'wecom', 信函: 'letter', 书面: 'letter' } as const;
/** … and for the revisit, which the customer may decline: 回访:不回访. */
export const REVISIT_WORDS = { ...ANSWER_WORDS, 不回访: 'none', 无需回访: 'none', 不需回访: 'none' } as const;

/**
 * The form shared by 投诉, 举报, 建议 and 表扬 (regulation chapter 3, 二.1): customer, object, cause, demand and
 * preferred revisit method. A complaint needs a phone to answer it; a report may be anonymous.
 */
export function feedbackForm(phone: 'required' | 'optional') {
  return z.object({
    subject: field.text('对象', ['投诉对象', '举报对象', '表扬对象']),
    cause: field.rest('事由', ['内容', '情况', '原因']),
    demand: field.keyed('要求', ['诉求']).optional(),
    revisitMethod: field.choice('回访方式', REVISIT_WORDS, ['回访']).optional(),
    category: field.keyed('类别', ['分类', '类型']).optional(),
    reporter: field.name('客户').optional(),
    phone: phone === 'required' ? field.phone() : field.phone().optional(),
    /** Only a 举报 may be anonymous: its reporter's name is then not recorded. */
    anonymous: field.flag('匿名', ['匿名']),
  });
}

/** A ticket number and what the person says about the step (reason, result). */
export function stepForm(label: string, keys: readonly string[] = []) {
  return z.object({ no: field.ticketNo(), text: field.rest(label, keys) });
}

export const ticketOnly = z.object({ no: field.ticketNo() });
