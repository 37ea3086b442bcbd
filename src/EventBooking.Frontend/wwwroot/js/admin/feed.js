// The live feed: new requests and promo decisions appear without reloading.

import { reconnecting } from '../live.js';
import { $ } from './common.js';
import { loadOrders, onFirstPage } from './list.js';
import { requestArrived } from './me.js';
import { loadPromo, promoShown } from './promo.js';

let feed = null;

export function connectFeed() {
  feed?.close();
  feed = reconnecting({
    path: '/ws/admin',
    onOpen: () => { $('live-state').textContent = '● live'; },
    onDown: () => { $('live-state').textContent = 'reconnecting…'; },
    onMessage: (item) => {
      if (item.type === 'order-created') {
        requestArrived();
        if (onFirstPage()) loadOrders(item.data.id);
      }
      if (item.type === 'promo-decided' && promoShown()) loadPromo();
    },
  });
}

export function disconnectFeed() {
  feed?.close();
  feed = null;
}
