// The widget's only stylesheet, inside its shadow root. `:host { all: initial !important }`
// matters: the host element lives in the page, so page rules such as
// `* { color: red !important }` match it and would be inherited into the shadow tree; an
// !important declaration from the shadow context beats the page's !important on the host.
export const CSS = `
:host{all:initial!important;display:block!important;position:static!important}
.rz{--a:#1f6feb;--at:#fff;--bg:#fff;--fg:#1b1f24;--mut:#5b636e;--line:#d8dde3;--in:#eef1f4;
font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
color:var(--fg);text-align:left;direction:ltr;letter-spacing:normal;text-transform:none}
.rz *,.rz *::before,.rz *::after{box-sizing:border-box;font:inherit;color:inherit;margin:0;padding:0}
[hidden]{display:none!important}
button,input{border:0;background:none;cursor:pointer}
input{cursor:text}
:focus{outline:none}
:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border-radius:50%;
background:var(--a);color:var(--at);display:flex;align-items:center;justify-content:center;
box-shadow:0 4px 16px rgba(0,0,0,.25)}
.launcher svg{width:26px;height:26px;fill:currentColor}
.badge{position:absolute;top:4px;right:4px;width:12px;height:12px;border-radius:50%;background:#e5484d;border:2px solid #fff}
.panel{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:370px;max-width:calc(100vw - 24px);
height:560px;max-height:calc(100vh - 108px);display:flex;flex-direction:column;background:var(--bg);
border-radius:14px;overflow:hidden;box-shadow:0 10px 40px rgba(0,0,0,.25);border:1px solid var(--line)}
@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}
.rz.open .launcher{display:none}}
.head{display:flex;align-items:center;gap:10px;padding:12px 12px 12px 14px;background:var(--a);color:var(--at)}
.av{width:36px;height:36px;border-radius:50%;flex:none;object-fit:cover;background:rgba(255,255,255,.25);
display:flex;align-items:center;justify-content:center;font-weight:600}
.tt{flex:1;min-width:0}
.title{font-weight:600;font-size:15px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sub{font-size:12px;opacity:.9}
.x{width:32px;height:32px;border-radius:8px;font-size:22px;line-height:1;color:var(--at)}
.x svg{width:20px;height:20px;fill:currentColor}
.x:hover{background:rgba(255,255,255,.15)}
.status{padding:6px 12px;font-size:12px;background:#fff4d6;color:#6b4a00;display:flex;gap:8px;align-items:center}
.status.err{background:#fde8e8;color:#8a1c1c}
.status button{text-decoration:underline;font-weight:600}
.log{flex:1;overflow-y:auto;padding:14px 12px;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}
.msg{display:flex;flex-direction:column;max-width:85%;align-items:flex-start}
.msg.in{align-self:flex-end;align-items:flex-end}
.bub{padding:8px 12px;border-radius:14px;background:var(--in);white-space:normal;overflow-wrap:anywhere}
.msg.out .bub,.msg.operator .bub{border-bottom-left-radius:4px}
.msg.in .bub{background:var(--a);color:var(--at);border-bottom-right-radius:4px}
.msg.in .bub a{color:inherit}
.msg.failed .bub{opacity:.6}
.note{font-size:11px;color:var(--mut);margin-top:2px}
.msg.failed .note{color:#b42318}
.who{font-size:11px;color:var(--mut);margin-bottom:2px}
.bub a{color:var(--a);text-decoration:underline}
.bub img{display:block;max-width:100%;border-radius:8px}
.sys{align-self:center;font-size:12px;color:var(--mut);text-align:center;max-width:90%}
.btns{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.btn{display:inline-block;padding:6px 12px;border-radius:16px;border:1px solid var(--a);color:var(--a);
background:var(--bg);text-decoration:none;font-weight:500}
.btn:hover:not(:disabled){background:var(--a);color:var(--at)}
.btn:disabled{opacity:.5;cursor:default}
.choices{display:flex;flex-wrap:wrap;gap:6px;padding:0 12px 8px}
.typing{padding:0 14px 8px;display:flex;gap:4px;align-items:center;height:22px}
.typing i{width:7px;height:7px;border-radius:50%;background:var(--mut);animation:rzb 1.2s infinite ease-in-out}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes rzb{0%,80%,100%{opacity:.3;transform:translateY(0)}40%{opacity:1;transform:translateY(-3px)}}
.streaming .bub::after{content:"";display:inline-block;width:2px;height:1em;margin-left:2px;
vertical-align:text-bottom;background:currentColor;animation:rzc 1s steps(1) infinite}
@keyframes rzc{50%{opacity:0}}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.comp{display:flex;gap:8px;padding:10px 12px;border-top:1px solid var(--line)}
.comp input{flex:1;min-width:0;padding:9px 12px;border:1px solid var(--line);border-radius:20px;background:var(--bg)}
.comp input:disabled{background:var(--in)}
.send{padding:0 14px;border-radius:20px;background:var(--a);color:var(--at);font-weight:600}
.send:disabled{opacity:.5;cursor:default}
.mic{flex:none;min-width:38px;height:38px;padding:0 8px;border-radius:19px;border:1px solid var(--line);
color:var(--a);display:flex;align-items:center;justify-content:center;font-variant-numeric:tabular-nums}
.mic svg{width:20px;height:20px;fill:currentColor}
.mic.rec{background:#d92d20;border-color:#d92d20;color:#fff;font-weight:600}
.mic.rec span::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;
background:currentColor;margin-right:5px;vertical-align:1px;animation:rzc 1s steps(1) infinite}
.endbar{padding:10px 12px;border-top:1px solid var(--line);display:flex;flex-direction:column;gap:8px;align-items:center}
.again{padding:8px 16px;border-radius:20px;background:var(--a);color:var(--at);font-weight:600}
@media (prefers-reduced-motion:reduce){.typing i,.streaming .bub::after,.mic.rec span::before{animation:none}}
`;
