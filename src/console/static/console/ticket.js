// 一张工单的完整时间线：每个事件（谁、经何途径、现场报告等原文）、每次催办督办，以及每个时限。
import { api, call, el, time } from '/console/js/api.js';

const CLOCK_STATUS = { met: ['按时', 'good'], missed: ['超时', 'bad'], running: ['进行中', 'ok'], ended: ['已结束', 'muted'] };

export function ticketPage(root, no) {
  root.append(el('p', '加载中…', 'muted'));
  api('/tickets/' + encodeURIComponent(no))
    .then(({ ticket, timeline: entries, limits: clocks, photos }) => {
      root.replaceChildren();
      const back = el('a', '← 返回看板', 'back');
      back.href = '#/board';
      root.append(back, el('h2', '工单 ' + ticket.no));
      const fields = el('dl', null, 'fields');
      for (const [label, value] of [
        ['类型', ticket.kindName], ['状态', ticket.stateName], ['区域', ticket.area], ['地址', ticket.address],
        ['内容', ticket.description], ['联系人', ticket.reporter_name], ['受理', time(ticket.created_at)],
        ['超时', ticket.overdue_at ? time(ticket.overdue_at) : null], ['处理结果', ticket.result], ['答复', ticket.answer],
      ]) if (value) fields.append(el('dt', label), el('dd', value));
      root.append(fields, el('h3', '时限'));
      const clockList = el('ul', null, 'clocks');
      clockList.id = 'clocks';
      for (const c of clocks) {
        const [label, cls] = CLOCK_STATUS[c.status];
        const item = el('li');
        item.append(el('b', c.limit), el('span', c.unitName, 'muted'), el('span', '到期 ' + time(c.dueAt)), el('span', label, 'status ' + cls));
        clockList.append(item);
      }
      if (!clocks.length) clockList.append(el('li', '无时限', 'muted'));
      root.append(clockList, el('h3', '时间线'));
      const list = el('ol', null, 'timeline');
      list.id = 'timeline';
      for (const e of entries) {
        const item = el('li', null, e.type);
        item.append(el('span', time(e.at), 'when'), el('b', e.title));
        if (e.type === 'event') item.append(el('span', e.actor + ' · ' + e.via, 'muted'));
        else item.append(el('span', e.limit, 'muted'));
        if (e.note) item.append(el('div', e.note, 'note'));
        list.append(item);
      }
      root.append(list);
      if (photos.length) {
        // Thumbnails: the bytes are fetched with the token (an <img src> cannot carry it), each opens full size.
        const gallery = el('div', null, 'photos');
        gallery.id = 'photos';
        root.append(el('h3', '现场照片 · ' + photos.length + ' 张'), gallery);
        for (const photo of photos) {
          const link = el('a', null, 'photo');
          const img = el('img');
          img.alt = '现场照片 ' + time(photo.at);
          link.append(img, el('span', time(photo.at), 'muted'));
          gallery.append(link);
          call(photo.url.replace(/^\/api/, ''))
            .then((response) => response.blob())
            .then((blob) => {
              img.src = link.href = URL.createObjectURL(blob);
              link.target = '_blank';
            })
            .catch(() => link.append(el('span', '（加载失败）', 'bad')));
        }
      }
    })
    .catch(root.fail);
}
