/** What the mini-program uses beyond miniprogram-api-typings: WeCom's `wx.qy.login` and the host environment. */
declare namespace WechatMiniprogram {
  interface QyLoginOption {
    success?(res: { code: string }): void;
    fail?(err: { errMsg: string }): void;
  }
  interface Wx {
    /** Present when the mini-program runs inside WeCom (企业微信). */
    qy?: { login(option: QyLoginOption): void };
  }
  interface SystemInfo {
    /** 'wxwork' inside WeCom, absent inside WeChat. */
    environment?: string;
  }
}
