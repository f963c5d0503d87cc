import { labels } from '../../utils/i18n';

/** Notices (read and acknowledge) arrive with the notices module; until then the page says so. */
Component({
  data: { L: labels({ title: 'mp.notices.title', none: 'mp.notices.none_yet' }) },
  methods: {
    onLoad() {
      this.setData({ L: labels({ title: 'mp.notices.title', none: 'mp.notices.none_yet' }) });
    },
  },
});
