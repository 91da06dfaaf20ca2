import { describe, expect, it } from 'vitest';
import { readInquiry } from '../../src/faq/intent';

describe('what a message sent as /咨询 really is', () => {
  it.each([
    ['我家店里突然没电了，隔壁都有电，快派人来看看', 'repair'],
    ['门口电线杆上的线断了掉下来了', 'repair'],
    ['营业厅那个收费员对我大吼大叫，态度太差了', 'complaint'],
    ['打了三次电话都推来推去，今天必须给个说法', 'complaint'],
    ['抄表的那个人收了我两条烟才给少抄，我要举报', 'report'],
    ['隔壁那家一直在偷电', 'report'],
    ['昨晚抢修的师傅冒雨把电修好了，真心感谢他们', 'praise'],
    ['营业厅的小姑娘特别耐心，想给她点个赞', 'praise'],
    ['建议你们营业厅周末也开门', 'suggestion'],
  ])('reads “%s” as %s', (text, reading) => {
    expect(readInquiry(text)).toBe(reading);
  });

  it.each([
    '对供电服务不满意怎么投诉，多久答复',
    '想表扬供电工作人员怎么反映',
    '发现有人窃电怎么举报，有奖励吗',
    '停电了什么时候来电',
    '家里跳闸了怎么办',
    '电费怎么交',
    '阶梯电价怎么算',
  ])('keeps “%s” an inquiry: it asks how, or asks at all', (text) => {
    expect(readInquiry(text)).toBeUndefined();
  });
});
